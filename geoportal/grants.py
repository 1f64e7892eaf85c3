"""What the app role may do in the database: the grants, made by the owner after every `migrate`.

Run on Django's post_migrate signal (geoportal/apps.py), as the owner, so it is
idempotent and follows every migration; ALTER DEFAULT PRIVILEGES covers the
tables later migrations create before this step runs again. The app role
(the user of DATABASE_URL, settings.DATABASE_APP_ROLE):

- reads and writes the rows of every table (SELECT, INSERT, UPDATE, DELETE)
  and uses the sequences; never TRUNCATE, REFERENCES, TRIGGER, nor any DDL
  (it owns no table of record, and has no CREATE on schema public);
- on the tables of record below, only adds and reads rows, and updates
  nothing but the columns listed (issued notes: the PDF, written once at its
  first rendering, which the trigger of plans migration 0005 checks);
- reads the views, never writes through them;
- creates, fills and drops its own scratch tables in schema `layers_staging`
  (layer staging tables, their views), and TEMPORARY tables.
"""
import logging

from django.apps import apps
from django.conf import settings
from django.db import connections, models, transaction

log = logging.getLogger(__name__)

TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"


def _set_null_columns(model):
    """Foreign-key columns Django sets to NULL when the row they point to is deleted (a user, an upload…)."""
    return [f.column for f in model._meta.fields if f.is_relation and f.remote_field.on_delete is models.SET_NULL]


def record_tables():
    """{table of record: columns the app may UPDATE}."""
    audit_logs = [apps.get_model("layers", "AuditEntry"), apps.get_model("es_common", "AuditEvent")]
    return {
        apps.get_model("plans", "IssuedNote")._meta.db_table: list(apps.get_model("plans", "IssuedNote").PDF_COLUMNS),
        **{model._meta.db_table: _set_null_columns(model) for model in audit_logs},
        "django_migrations": [],
    }


def statements(cursor, app):
    """The SQL that gives `app` exactly its rights in the current database, as the owner."""
    q = cursor.db.ops.quote_name
    schema = settings.LAYERS_STAGING_SCHEMA
    role, staging = q(app), q(schema)
    cursor.execute("SELECT current_database(), current_user, pg_has_role(current_user, nspowner, 'USAGE'), "
                   "to_regnamespace(%s) IS NOT NULL FROM pg_namespace WHERE nspname = 'public'", [staging])
    database, owner, owns_public, has_staging = cursor.fetchone()
    sql = [
        # Only the roles granted here connect; nobody but the owner creates objects in public.
        f"REVOKE ALL ON DATABASE {q(database)} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {q(database)} TO {role}",
        *(["REVOKE CREATE ON SCHEMA public FROM PUBLIC"] if owns_public else []),
        f"GRANT USAGE ON SCHEMA public TO {role}",
        # The schema of scratch tables (layers migration 0003), where the app creates its own.
        *([f"GRANT USAGE, CREATE ON SCHEMA {staging} TO {role}"] if has_staging else []),
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA public GRANT {TABLE_RIGHTS} ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    cursor.execute("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
                   "AND pg_has_role(current_user, c.relowner, 'USAGE') ORDER BY c.relname")
    records = record_tables()
    for name, kind in cursor.fetchall():
        table = q(name)
        if kind == "S":
            sql.append(f"GRANT USAGE, SELECT ON SEQUENCE {table} TO {role}")
            continue
        sql.append(f"REVOKE ALL ON {table} FROM {role}")
        if kind in ("v", "m"):
            sql.append(f"GRANT SELECT ON {table} TO {role}")
        elif name in records:
            sql.append(f"GRANT SELECT, INSERT ON {table} TO {role}")
            if records[name]:
                sql.append(f"GRANT UPDATE ({', '.join(map(q, records[name]))}) ON {table} TO {role}")
        else:
            sql.append(f"GRANT {TABLE_RIGHTS} ON {table} TO {role}")
    # Scratch tables made before the schema existed, or by the owner: handed to the app, which drops them.
    cursor.execute("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "JOIN pg_roles r ON r.oid = c.relowner WHERE n.nspname = %s AND c.relkind IN ('r', 'v') "
                   "AND r.rolname <> %s AND pg_has_role(current_user, c.relowner, 'USAGE') "
                   "AND pg_has_role(current_user, %s, 'MEMBER')", [schema, app, app])
    sql += [f"ALTER {'VIEW' if kind == 'v' else 'TABLE'} {staging}.{q(name)} OWNER TO {role}"
            for name, kind in cursor.fetchall()]
    return sql


def grant_app_privileges(using="default"):
    """Apply statements() on database `using`; returns them. Skipped (with a warning) for a one-role set-up."""
    app = settings.DATABASE_APP_ROLE
    with transaction.atomic(using), connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user = %s, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)", [app, app])
        same, exists = cursor.fetchone()
        if same or not exists:
            log.warning("database role %r %s: no grants made; the app runs with the owner's rights (README, "
                        "Security)", app, "is the owner" if same else "does not exist")
            return []
        done = statements(cursor, app)
        for statement in done:
            cursor.execute(statement)
    return done


def on_post_migrate(sender, using="default", **kwargs):
    grant_app_privileges(using)
