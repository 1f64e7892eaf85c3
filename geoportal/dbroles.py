"""The two database roles, and which one a process connects as.

- The app role (DATABASE_URL) serves: runserver, gunicorn, RQ workers and
  every management command not listed below. It is neither superuser nor
  owner: it reads and writes rows with the grants of geoportal/grants.py, and
  creates its scratch tables only in the schema `layers_staging`.
- The owner role (DATABASE_OWNER_URL) owns the database and its tables, and
  is not a superuser either (CREATEDB, for the test runner). The commands in
  OWNER_COMMANDS connect as it: `migrate` (DDL, then the grants), `flush`
  (TRUNCATE) and `load_sample_data` (its COPY into plans_parcel and the
  ANALYZE that follows need an owner). `DATABASE_ROLE=owner manage.py …`
  runs any other command as the owner (e.g. an operator's `dbshell`).

Nothing here imports Django settings at import time: manage.py asks
role_for_command() before Django is set up.
"""
import os
from contextlib import contextmanager

APP, OWNER = "app", "owner"
# The local set-up's roles (make demo, make test): geoportal_app serves, geoportal owns.
DEFAULT_DATABASE_URL = "postgis://geoportal_app:geoportal_app@127.0.0.1:5432/geoportal"
DEFAULT_DATABASE_OWNER_URL = "postgis://geoportal:geoportal@127.0.0.1:5432/geoportal"
# The one schema where the app role may create tables: its scratch tables (layer staging).
STAGING_SCHEMA = "layers_staging"
OWNER_COMMANDS = frozenset({"migrate", "flush", "load_sample_data"})
# What tells two roles' connections to the same database apart (NAME stays: the test database keeps its name).
CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


def role_for_command(argv):
    """APP or OWNER for `manage.py argv[1]`; DATABASE_ROLE in the environment decides when it is set."""
    if os.environ.get("DATABASE_ROLE"):
        return os.environ["DATABASE_ROLE"]
    return OWNER if len(argv) > 1 and argv[1] in OWNER_COMMANDS else APP


def credentials(role):
    """{USER, PASSWORD, HOST, PORT} of `role`, from settings.DATABASE_ROLES."""
    from django.conf import settings

    return {key: settings.DATABASE_ROLES[role][key] for key in CREDENTIALS}


def connect_as(connection, role):
    """Close `connection` and point it at `role`'s credentials; the next query reconnects as that role.

    The settings dict is shared by the connections of every thread, so they all follow.
    """
    connection.close()
    connection.settings_dict.update(credentials(role))


@contextmanager
def as_owner(connection):
    """Run the block on `connection` (this thread's) as the owner, outside a transaction; then back.

    Only this connection object changes: its settings become a copy with the owner's credentials.
    """
    shared = connection.settings_dict
    connection.close()
    connection.settings_dict = {**shared, **credentials(OWNER)}
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict = shared


def check_least_privilege(connection):
    """Raise ImproperlyConfigured when `connection` runs as a superuser or as the owner of the tables.

    geoportal/wsgi.py calls it at start-up with DEBUG off: a server that could TRUNCATE issued notes
    or switch their trigger off does not start.
    """
    from django.core.exceptions import ImproperlyConfigured

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper, rolbypassrls, pg_has_role(current_user, d.datdba, 'USAGE') "
                       "FROM pg_roles r, pg_database d "
                       "WHERE r.rolname = current_user AND d.datname = current_database()")
        user, superuser, bypass_rls, owns_database = cursor.fetchone()
        cursor.execute("SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
                       "WHERE oid = to_regclass('plans_issuednote')")
        owns_notes = (cursor.fetchone() or (False,))[0]
    wrong = [what for what, held in (("a superuser", superuser), ("BYPASSRLS", bypass_rls),
                                     ("owner of the database", owns_database),
                                     ("owner of plans_issuednote", owns_notes)) if held]
    if wrong:
        raise ImproperlyConfigured(
            f"the server connects to the database as {user!r}, which is {' and '.join(wrong)}: it could then "
            "TRUNCATE issued notes or switch their trigger off. Set DATABASE_URL to the app role and "
            "DATABASE_OWNER_URL to the owner (README, Security; geoportal/bin/setup-services.sh creates both).")
