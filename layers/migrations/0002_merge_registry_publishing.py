from django.db import migrations


class Migration(migrations.Migration):
    """Joins the OGC layer registry and the publishing records, written in parallel."""

    dependencies = [("layers", "0001_registry"), ("layers", "0001_publishing")]
    operations = []
