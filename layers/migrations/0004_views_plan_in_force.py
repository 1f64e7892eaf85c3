"""The public views read "in force today" from plan_in_force (plans migration 0009), the rule the ORM uses.

Which rows the public may see: `ogc_plan_state` gives each plan its legal state today (Africa/Casablanca):
`current` when in force, `history` when superseded, expired or replaced, `inquiry` under public inquiry,
`unpublished` otherwise (drafts, plans not yet in effect). Every layer view joins it and keeps only the live
revision of each plan's zones and servitudes. Geometries stay in EPSG:4326 so that the GiST indexes of the base
tables serve bbox and tile filters through the views. Only ogc_plan_state changes (same columns, so
the views built on it stay); the DDL is frozen here, a later change comes as a new migration.
"""
from django.db import migrations

PLAN_STATE_SQL = """
CREATE OR REPLACE VIEW ogc_plan_state AS
SELECT p.*,
       CASE
         WHEN plan_in_force(p.status, p.effective_date, p.superseded_on, p.expiry_date,
                            (now() AT TIME ZONE 'Africa/Casablanca')::date)
           THEN 'current'
         WHEN p.status IN ('superseded', 'expired') THEN 'history'
         WHEN p.status = 'approved'
              AND p.effective_date <= (now() AT TIME ZONE 'Africa/Casablanca')::date THEN 'history'
         WHEN p.status = 'public_inquiry' THEN 'inquiry'
         ELSE 'unpublished'
       END AS legal_state
FROM plans_plandocument p;
"""
PREVIOUS_PLAN_STATE_SQL = """
CREATE OR REPLACE VIEW ogc_plan_state AS
SELECT p.*,
       CASE
         WHEN p.status IN ('approved', 'superseded', 'expired')
              AND p.effective_date <= (now() AT TIME ZONE 'Africa/Casablanca')::date
              AND (p.superseded_on IS NULL OR p.superseded_on > (now() AT TIME ZONE 'Africa/Casablanca')::date)
              AND (p.expiry_date IS NULL OR p.expiry_date > (now() AT TIME ZONE 'Africa/Casablanca')::date)
           THEN 'current'
         WHEN p.status IN ('superseded', 'expired') THEN 'history'
         WHEN p.status = 'approved'
              AND p.effective_date <= (now() AT TIME ZONE 'Africa/Casablanca')::date THEN 'history'
         WHEN p.status = 'public_inquiry' THEN 'inquiry'
         ELSE 'unpublished'
       END AS legal_state
FROM plans_plandocument p;
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0003_staging_schema"), ("plans", "0009_plan_in_force")]
    operations = [migrations.RunSQL(PLAN_STATE_SQL, PREVIOUS_PLAN_STATE_SQL)]
