from django.conf import settings
from django.db import migrations

SCHEMA = settings.LAYERS_STAGING_SCHEMA


def create(apps, schema_editor):
    """The schema of staging tables, and the ones made earlier in public moved into it."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"')
        cursor.execute("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') AND c.relname LIKE %s "
                       "ORDER BY c.relkind = 'v' DESC", [r"layers\_stage\_%"])
        for name, kind in cursor.fetchall():
            cursor.execute(f'ALTER {"VIEW" if kind == "v" else "TABLE"} public."{name}" SET SCHEMA "{SCHEMA}"')


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')


class Migration(migrations.Migration):

    dependencies = [("layers", "0002_merge_registry_publishing")]
    operations = [migrations.RunPython(create, drop)]
