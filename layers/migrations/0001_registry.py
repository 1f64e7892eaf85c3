"""The layer registry's publication flags and the public SQL views of the OGC API."""
from django.db import migrations, models

from layers.serving.public_views import drop_sql, install_sql
from plans.versions import TRIGGER_SQL

PUBLICATION_TABLE = "layers_layerpublication"


class Migration(migrations.Migration):
    initial = True
    dependencies = [("plans", "0004_table_versions")]
    operations = [
        migrations.CreateModel(
            name="LayerPublication",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("collection", models.SlugField(help_text="Collection id, e.g. zones, parcels.", max_length=60,
                                                unique=True)),
                ("published", models.BooleanField(default=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"ordering": ["collection"]},
        ),
        migrations.RunSQL(TRIGGER_SQL.format(table=PUBLICATION_TABLE),
                          f"DROP TRIGGER IF EXISTS {PUBLICATION_TABLE}_bump_version ON {PUBLICATION_TABLE};"),
        migrations.RunSQL(install_sql(), drop_sql()),
    ]
