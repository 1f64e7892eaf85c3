from django.db import migrations

# TRUNCATE fires no row trigger: this statement trigger refuses it, whoever asks (the app role holds no
# TRUNCATE right at all; this stops the owner's own mistakes, e.g. a `flush`).
GUARD_SQL = """
CREATE OR REPLACE FUNCTION plans_issuednote_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issued notes are immutable records: % cannot be truncated', TG_TABLE_NAME;
END $$;
DROP TRIGGER IF EXISTS plans_issuednote_no_truncate ON plans_issuednote;
CREATE TRIGGER plans_issuednote_no_truncate BEFORE TRUNCATE ON plans_issuednote
    FOR EACH STATEMENT EXECUTE FUNCTION plans_issuednote_no_truncate();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS plans_issuednote_no_truncate ON plans_issuednote;
DROP FUNCTION IF EXISTS plans_issuednote_no_truncate();
"""


class Migration(migrations.Migration):

    dependencies = [("plans", "0007_note_key_id")]
    operations = [migrations.RunSQL(GUARD_SQL, DROP_SQL)]
