"""The app's own database role cannot rewrite or destroy issued notes, nor change the schema.

Attacks run as the app role on the real test database (the role of every test's connection and of the
live server), after a note was issued and its PDF stored by the live gunicorn server: what the server
needs is granted (it issued and rendered the note), nothing more. The owner is stopped by the triggers.
"""
import json
import subprocess
import sys
import urllib.request

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from conftest import ROOT, app_process_env

pytestmark = pytest.mark.django_db

DENIED = "permission denied for table plans_issuednote"
NOT_OWNER = "must be owner of table plans_issuednote"
# (SQL, what PostgreSQL answers) as the app role; %s is the note's number.
APP_ATTACKS = [
    ("UPDATE plans_issuednote SET content = '{}' WHERE number = %s", DENIED),
    ("UPDATE plans_issuednote SET signature = repeat('0', 64), pdf = NULL WHERE number = %s", DENIED),
    ("DELETE FROM plans_issuednote WHERE number = %s", DENIED),
    ("TRUNCATE plans_issuednote", DENIED),
    ("TRUNCATE plans_issuednote CASCADE", DENIED),
    ("TRUNCATE plans_zone, plans_parcel", "permission denied for table plans_zone"),
    ("ALTER TABLE plans_issuednote DISABLE TRIGGER ALL", NOT_OWNER),
    ("ALTER TABLE plans_issuednote DISABLE TRIGGER plans_issuednote_immutable", NOT_OWNER),
    ("ALTER TABLE plans_issuednote DISABLE TRIGGER plans_issuednote_no_truncate", NOT_OWNER),
    ("SET session_replication_role = replica", 'permission denied to set parameter "session_replication_role"'),
    ("SET LOCAL session_replication_role = replica", 'permission denied to set parameter "session_replication_role"'),
    ("DROP TABLE plans_issuednote", NOT_OWNER),
    ("DROP TRIGGER plans_issuednote_immutable ON plans_issuednote", "must be owner of relation plans_issuednote"),
    ("CREATE OR REPLACE FUNCTION plans_issuednote_immutable() RETURNS trigger LANGUAGE plpgsql AS "
     "$$ BEGIN RETURN NEW; END $$", "permission denied for schema public"),
    ("CREATE TRIGGER t BEFORE UPDATE ON plans_issuednote FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_"
     "trigger()", DENIED),
    ("ALTER TABLE plans_zone ADD COLUMN attack integer", "must be owner of table plans_zone"),
    ("CREATE TABLE public.attack (id integer)", "permission denied for schema public"),
    ("CREATE TABLE attack (id integer)", "permission denied for schema public"),
    ("CREATE VIEW plans_issuednote_v AS SELECT 1", "permission denied for schema public"),
    ("COPY plans_issuednote TO '/tmp/notes.csv'", "must be superuser or have privileges of the pg_write_server_files"),
    ("COPY plans_zone FROM '/etc/passwd'", "must be superuser or have privileges of the pg_read_server_files role"),
    ("CREATE EXTENSION IF NOT EXISTS dblink", "permission denied to create extension"),
    ("ALTER ROLE CURRENT_USER SUPERUSER", "must be superuser to alter superuser roles"),
    ("SET ROLE {owner}", "permission denied to set role"),
]


def _get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.read()


def _issued_by_the_live_server(live_server_url):
    """A note issued and rendered to PDF by the live server (committed: every role's session sees it)."""
    request = urllib.request.Request(live_server_url + "/api/notes", method="POST",
                                     data=json.dumps({"title_number": "TF 10003/19", "mode": "indicative"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        note = json.loads(response.read())
    status, pdf = _get(note["links"]["pdf"])
    assert status == 200 and pdf.startswith(b"%PDF")
    return note["number"]


def _owner_dsn():
    owner, test = settings.DATABASE_ROLES["owner"], connection.settings_dict
    return (f"host={owner['HOST'] or '127.0.0.1'} port={owner['PORT'] or 5432} dbname={test['NAME']} "
            f"user={owner['USER']} password={owner['PASSWORD']}")


ROW_SQL = "SELECT content::text, signature, pdf_sha256, md5(pdf) FROM plans_issuednote WHERE number = %s"


def _row(number):
    with connection.cursor() as cursor:
        cursor.execute(ROW_SQL, [number])
        return cursor.fetchone()


def test_the_tests_and_the_live_server_connect_as_the_app_role(live_server_url):
    app = settings.DATABASE_APP_ROLE
    assert app != settings.DATABASE_ROLES["owner"]["USER"]
    assert _get(live_server_url + "/healthz")[0] == 200  # a request that reads the database
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, "
                       "pg_has_role(current_user, (SELECT datdba FROM pg_database WHERE datname = current_database()),"
                       " 'USAGE') FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (app, False, False, False, False, False)
        cursor.execute("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')")
        assert cursor.fetchone()[0] == 0, "the app role owns a table of record"
        cursor.execute("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() "
                       "AND backend_type = 'client backend'")
        assert {row[0] for row in cursor.fetchall()} == {app}  # this test and the two gunicorn workers


def test_the_app_role_cannot_change_or_destroy_an_issued_note(live_server_url):
    number = _issued_by_the_live_server(live_server_url)
    before = _row(number)
    assert before[2], "the live server stored the PDF: the app role may write those columns once"
    with connection.cursor() as cursor:  # not the owner: PostgreSQL grants nothing (a warning), then the attacks
        cursor.execute("GRANT ALL ON plans_issuednote TO PUBLIC")
        cursor.execute("GRANT ALL ON plans_issuednote TO CURRENT_USER")
    for sql, answer in APP_ATTACKS:
        with pytest.raises(DatabaseError, match=answer), transaction.atomic(), connection.cursor() as cursor:
            owner = connection.ops.quote_name(settings.DATABASE_ROLES["owner"]["USER"])
            cursor.execute(sql.replace("{owner}", owner), [number] if "%s" in sql else None)
    # The PDF columns are granted, but the trigger stores a PDF only once.
    with pytest.raises(DatabaseError, match="only its PDF can be stored, once"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE plans_issuednote SET pdf = 'forged', pdf_sha256 = repeat('f', 64) "
                           "WHERE number = %s", [number])
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone() == ("origin",)
    assert _row(number) == before


def test_the_owner_is_stopped_by_the_triggers(live_server_url):
    number = _issued_by_the_live_server(live_server_url)
    with psycopg.connect(_owner_dsn()) as owner:
        # Not read through the test's connection: its transaction's lock would make TRUNCATE wait for it.
        owner.execute("SET lock_timeout = '10s'")
        before = owner.execute(ROW_SQL, [number]).fetchone()
        for sql, answer in [("TRUNCATE plans_issuednote CASCADE", "cannot be truncated"),
                            ("DELETE FROM plans_issuednote WHERE number = %s", "cannot be deleted"),
                            ("UPDATE plans_issuednote SET content = '{}' WHERE number = %s", "immutable record")]:
            with pytest.raises(psycopg.errors.RaiseException, match=answer), owner.transaction():
                owner.execute(sql, [number] if "%s" in sql else None)
        assert owner.execute(ROW_SQL, [number]).fetchone() == before
        owner.rollback()


def test_the_app_role_makes_its_scratch_tables_only_in_the_staging_schema():
    schema = settings.LAYERS_STAGING_SCHEMA
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'CREATE UNLOGGED TABLE "{schema}".scratch AS SELECT 1 AS id')
        cursor.execute(f'CREATE INDEX ON "{schema}".scratch (id)')
        cursor.execute(f'ANALYZE "{schema}".scratch')
        cursor.execute(f'DROP TABLE "{schema}".scratch')
        cursor.execute("CREATE TEMPORARY TABLE scratch AS SELECT 1 AS id")


def test_every_table_is_granted_and_tables_of_later_migrations_too():
    app = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname, has_table_privilege(%s, c.oid, 'SELECT'), "
                       "has_table_privilege(%s, c.oid, 'TRUNCATE'), has_table_privilege(%s, c.oid, 'TRIGGER'), "
                       "has_table_privilege(%s, c.oid, 'REFERENCES') FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'",
                       [app] * 4)
        rights = {name: rest for name, *rest in cursor.fetchall()}
        assert rights and all(r == [True, False, False, False] for r in rights.values()), rights
        cursor.execute("SELECT attname FROM pg_attribute WHERE attrelid = 'plans_issuednote'::regclass AND attnum > 0 "
                       "AND NOT attisdropped AND has_column_privilege(%s, attrelid, attnum, 'UPDATE') ORDER BY 1",
                       [app])
        assert [row[0] for row in cursor.fetchall()] == ["map_svg", "pdf", "pdf_sha256"]
    with psycopg.connect(_owner_dsn()) as owner:  # what a later migration creates, before the grant step runs
        owner.execute("CREATE TABLE plans_later (id bigserial PRIMARY KEY)")
        assert owner.execute("SELECT has_table_privilege(%s, 'plans_later', 'INSERT'), "
                             "has_table_privilege(%s, 'plans_later', 'TRUNCATE'), "
                             "has_sequence_privilege(%s, 'plans_later_id_seq', 'USAGE')", [app] * 3).fetchone() \
            == (True, False, True)
        owner.rollback()


def test_the_server_refuses_to_start_as_the_owner():
    owner = {**connection.settings_dict, **{k: settings.DATABASE_ROLES["owner"][k] for k in ("USER", "PASSWORD")}}
    keys = dict(DEBUG="0", SECRET_KEY="x" * 50, NOTE_SIGNING_KEY="y" * 50)
    command = [sys.executable, "-c", "import geoportal.wsgi"]
    refused = subprocess.run(command, cwd=ROOT, env=app_process_env(owner, **keys), capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode != 0 and "owner of the database and owner of plans_issuednote" in refused.stderr
    started = subprocess.run(command, cwd=ROOT, env=app_process_env(connection.settings_dict, **keys),
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr[-2000:]
