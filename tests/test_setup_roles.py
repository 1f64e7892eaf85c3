"""geoportal/bin/setup-services.sh on a machine set up the old way: the owner role a SUPERUSER, a table owned
by yet another role. It demotes the one, hands the other's objects to the owner, creates the app role with
nothing, and is safe to run again. Roles and database are named after the test database (no collision)."""
import os
import subprocess

import pytest
from django.db import connection

from conftest import ROOT

SCRIPT = ROOT / "geoportal" / "bin" / "setup-services.sh"


def as_postgres(sql, database="postgres"):
    done = subprocess.run([str(ROOT / "geoportal" / "bin" / "as-postgres.sh"), "-d", database, "-c", sql],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def legacy():
    """(database, owner, app, earlier role) of an old set-up: owner and earlier role are superusers."""
    name = connection.settings_dict["NAME"] + "_setup"
    owner, app, earlier = name + "_own", name + "_app", name + "_old"

    def clean():
        as_postgres(f'DROP DATABASE IF EXISTS "{name}"')
        for role in (app, owner, earlier):
            # What the role holds in other databases (a grant left by an older set-up) goes first, then the role.
            held = as_postgres("SELECT DISTINCT d.datname FROM pg_shdepend s JOIN pg_database d ON d.oid = s.dbid "
                               f"WHERE s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = '{role}') "
                               "AND d.datallowconn")
            for database in filter(None, held.splitlines()):
                as_postgres(f'DROP OWNED BY "{role}"', database=database)
            as_postgres(f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
                        f'DROP OWNED BY "{role}"; DROP ROLE "{role}"; END IF; END $$')

    clean()
    as_postgres(f"CREATE ROLE \"{owner}\" LOGIN SUPERUSER PASSWORD 'pw'; CREATE ROLE \"{earlier}\" SUPERUSER")
    as_postgres(f'CREATE DATABASE "{name}" OWNER "{earlier}"')
    as_postgres(f'SET ROLE "{earlier}"; CREATE TABLE plans_old (id serial PRIMARY KEY); '
                "CREATE FUNCTION plans_old_f() RETURNS int LANGUAGE sql AS 'SELECT 1'", database=name)
    yield name, owner, app, earlier
    clean()


def _setup(name, owner, app):
    url = "postgis://{}:pw@127.0.0.1:" + str(connection.settings_dict["PORT"] or 5432) + "/" + name
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": url.format(app),
           "DATABASE_OWNER_URL": url.format(owner), "REDIS_URL": "redis://127.0.0.1:6379/15"}
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)


def test_setup_demotes_the_old_superuser_and_creates_an_app_role_with_nothing(legacy):
    name, owner, app, earlier = legacy
    first = _setup(name, owner, app)
    assert first.returncode == 0, first.stderr
    assert f"role {owner} was a SUPERUSER" in first.stdout + first.stderr
    roles = as_postgres(f"SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles "
                        f"WHERE rolname IN ('{owner}', '{app}') ORDER BY rolname = '{app}'")
    assert roles.splitlines() == [f"{owner}|f|t|f|t", f"{app}|f|f|f|t"]
    assert as_postgres(f"SELECT pg_has_role('{app}', '{owner}', 'MEMBER'), pg_has_role('{owner}', '{app}', 'MEMBER')"
                       ) == "f|t"
    owned = as_postgres("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database() UNION ALL "
                        "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname IN ('plans_old', "
                        "'plans_old_id_seq') UNION ALL SELECT pg_get_userbyid(proowner) FROM pg_proc "
                        "WHERE proname = 'plans_old_f' UNION ALL SELECT extname FROM pg_extension "
                        "WHERE extname = 'postgis'", database=name)
    assert owned.splitlines() == [owner] * 4 + ["postgis"]
    again = _setup(name, owner, app)
    assert again.returncode == 0 and "SUPERUSER" not in again.stdout + again.stderr, again.stderr


def test_setup_refuses_one_role_for_both_and_two_databases():
    url = "postgis://geoportal_x:pw@127.0.0.1:5432/{}"
    for app, owner, message in [(url.format("a"), url.format("a"), "the app needs its own role"),
                                (url.format("a"), url.format("b").replace("_x", "_y"), "both roles use one database")]:
        done = subprocess.run(["bash", str(SCRIPT)], env={"PATH": "/usr/bin:/bin", "DATABASE_URL": app,
                                                          "DATABASE_OWNER_URL": owner},
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and message in done.stderr, done.stderr
