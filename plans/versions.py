"""Data versions: a counter per table, bumped by the database on every write.

Caches (vector tiles, feature pages, the OGC configuration) key on these
counters, so a publish, a rollback, an import or an admin edit invalidates
them at once in every worker process, with nothing for the writer to
remember: statement-level triggers (migration 0004) do the bumping.
"""
from django.db import connection

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


def table_versions(tables=VERSIONED_TABLES):
    """{table: version} for `tables`; one indexed query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, version FROM plans_table_version WHERE table_name = ANY(%s)",
                       [list(tables)])
        return dict(cursor.fetchall())


def data_version(tables=VERSIONED_TABLES):
    """A short string that changes whenever any of `tables` is written: use it in ETags and cache keys."""
    versions = table_versions(tables)
    return "-".join(str(versions.get(t, 0)) for t in tables)
