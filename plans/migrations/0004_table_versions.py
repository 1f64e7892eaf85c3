from django.db import migrations

from plans.versions import DROP_SQL, install_sql


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_publication_revisions")]
    operations = [migrations.RunSQL(install_sql(), DROP_SQL)]
