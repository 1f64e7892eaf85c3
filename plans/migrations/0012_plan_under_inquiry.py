"""The legal rule "is this draft open to public inquiry on that date", once, as a SQL function.

A draft is public, never binding, only while its inquiry is open: status public_inquiry and `day` within
[inquiry_start, inquiry_end] (both days included, Africa/Casablanca dates). Before the inquiry opens and after
it closes it is shown nowhere (history keeps approved versions only). Used by the ORM
(PlanDocument.objects.under_inquiry) and the public views (ogc_plan_state, layers migration 0006).
IMMUTABLE SQL so PostgreSQL inlines it, like plan_in_force (0009).
"""
from django.db import migrations

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION plan_under_inquiry(status text, inquiry_start date, inquiry_end date, day date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status = 'public_inquiry' AND inquiry_start IS NOT NULL AND inquiry_end IS NOT NULL
           AND inquiry_start <= day AND day <= inquiry_end
$$;
"""
DROP_SQL = "DROP FUNCTION IF EXISTS plan_under_inquiry(text, date, date, date);"


class Migration(migrations.Migration):
    dependencies = [("plans", "0011_sahara_datum_shift")]
    operations = [migrations.RunSQL(FUNCTION_SQL, DROP_SQL)]
