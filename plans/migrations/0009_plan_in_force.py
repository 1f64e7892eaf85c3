"""The legal rule "is this plan in force on that date", once, as a SQL function.

Used by the ORM (PlanDocument.objects.in_force) and by the public views (ogc_plan_state, layers migration
0004). A plan is in force on `day` when it is approved (or since superseded or expired), its date of effect
is reached, and it was neither superseded nor expired by then; drafts and inquiries never are. IMMUTABLE
and written in SQL, so that PostgreSQL inlines it into the queries that call it (no function call per row).
"""
from django.db import migrations

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION plan_in_force(status text, effective_date date, superseded_on date, expiry_date date,
                                         day date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status IN ('approved', 'superseded', 'expired')
           AND effective_date <= day
           AND (superseded_on IS NULL OR superseded_on > day)
           AND (expiry_date IS NULL OR expiry_date > day)
$$;
"""
DROP_SQL = "DROP FUNCTION IF EXISTS plan_in_force(text, date, date, date, date);"


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_note_truncate_guard")]
    operations = [migrations.RunSQL(FUNCTION_SQL, DROP_SQL)]
