"""Per-table data versions: a counter bumped by a statement-level trigger on each versioned table (plans.versions).

The DDL is frozen here as it was written: a later change of it comes as a new migration.
"""
from django.db import migrations

INSTALL_SQL = """
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

DROP TRIGGER IF EXISTS plans_agency_bump_version ON plans_agency;
CREATE TRIGGER plans_agency_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans_agency
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('plans_agency') ON CONFLICT DO NOTHING;

DROP TRIGGER IF EXISTS plans_commune_bump_version ON plans_commune;
CREATE TRIGGER plans_commune_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans_commune
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('plans_commune') ON CONFLICT DO NOTHING;

DROP TRIGGER IF EXISTS plans_plandocument_bump_version ON plans_plandocument;
CREATE TRIGGER plans_plandocument_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans_plandocument
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('plans_plandocument') ON CONFLICT DO NOTHING;

DROP TRIGGER IF EXISTS plans_zonerule_bump_version ON plans_zonerule;
CREATE TRIGGER plans_zonerule_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans_zonerule
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('plans_zonerule') ON CONFLICT DO NOTHING;

DROP TRIGGER IF EXISTS plans_zone_bump_version ON plans_zone;
CREATE TRIGGER plans_zone_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans_zone
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('plans_zone') ON CONFLICT DO NOTHING;

DROP TRIGGER IF EXISTS plans_servitude_bump_version ON plans_servitude;
CREATE TRIGGER plans_servitude_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans_servitude
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('plans_servitude') ON CONFLICT DO NOTHING;

DROP TRIGGER IF EXISTS plans_parcel_bump_version ON plans_parcel;
CREATE TRIGGER plans_parcel_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans_parcel
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('plans_parcel') ON CONFLICT DO NOTHING;
"""
DROP_SQL = 'DROP TABLE IF EXISTS plans_table_version CASCADE; DROP FUNCTION IF EXISTS plans_bump_table_version() CASCADE;'


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_publication_revisions")]
    operations = [migrations.RunSQL(INSTALL_SQL, DROP_SQL)]
