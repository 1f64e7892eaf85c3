"""Data versions: a counter per table, bumped by the database on every write.

Caches (vector tiles, feature pages, the OGC configuration) key on these
counters, so a publish, a rollback, an import or an admin edit invalidates
them at once in every worker process, with nothing for the writer to
remember: statement-level triggers (migration 0004, which holds their DDL) do the bumping.
"""
from geoportal.core.replica import reads

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

def table_versions(tables=VERSIONED_TABLES):
    """{table: version} for `tables`; one indexed query."""
    with reads().cursor() as cursor:
        cursor.execute("SELECT table_name, version FROM plans_table_version WHERE table_name = ANY(%s)",
                       [list(tables)])
        return dict(cursor.fetchall())


def data_version(tables=VERSIONED_TABLES):
    """A short string that changes whenever any of `tables` is written: use it in ETags and cache keys."""
    versions = table_versions(tables)
    return "-".join(str(versions.get(t, 0)) for t in tables)
