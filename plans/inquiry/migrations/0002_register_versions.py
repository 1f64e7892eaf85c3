"""The register's tables bump their data version on every write (plans migration 0004's trigger function), so
the OGC collection `observations` and its tiles change their ETag the moment staff publish or answer."""
from django.db import migrations

TABLES = ("inquiry_observation", "inquiry_observationgroup", "inquiry_cosignature")
TRIGGER_SQL = """
DROP TRIGGER IF EXISTS {table}_bump_version ON {table};
CREATE TRIGGER {table}_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('{table}') ON CONFLICT DO NOTHING;
"""


class Migration(migrations.Migration):
    dependencies = [("inquiry", "0001_register"), ("plans", "0004_table_versions")]
    operations = [migrations.RunSQL("".join(TRIGGER_SQL.format(table=t) for t in TABLES),
                                    "".join(f"DROP TRIGGER IF EXISTS {t}_bump_version ON {t};" for t in TABLES))]
