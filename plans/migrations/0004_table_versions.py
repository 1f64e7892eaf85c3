"""Per-table data versions: a counter bumped by a statement-level trigger on each versioned table (plans.versions).

The DDL is frozen here as it was written: a later change of it comes as a new migration.
"""
from django.db import migrations

# The DDL of plans/versions.py as this migration was written, frozen here.

# Tables whose writes bump their counter.
VERSIONED_TABLES = (
    "plans_agency",
    "plans_commune",
    "plans_plandocument",
    "plans_zonerule",
    "plans_zone",
    "plans_servitude",
    "plans_parcel",
)

CREATE_SQL = """
CREATE TABLE IF NOT EXISTS plans_table_version (
    table_name text PRIMARY KEY,
    version bigint NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION plans_bump_table_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO plans_table_version AS v (table_name, version, changed_at) VALUES (TG_TABLE_NAME, 1, now())
    ON CONFLICT (table_name) DO UPDATE SET version = v.version + 1, changed_at = now();
    RETURN NULL;
END $$;
"""
TRIGGER_SQL = """
DROP TRIGGER IF EXISTS {table}_bump_version ON {table};
CREATE TRIGGER {table}_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('{table}') ON CONFLICT DO NOTHING;
"""
DROP_SQL = "DROP TABLE IF EXISTS plans_table_version CASCADE; DROP FUNCTION IF EXISTS plans_bump_table_version() CASCADE;"


def install_sql():
    return CREATE_SQL + "".join(TRIGGER_SQL.format(table=t) for t in VERSIONED_TABLES)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_publication_revisions")]
    operations = [migrations.RunSQL(install_sql(), DROP_SQL)]
