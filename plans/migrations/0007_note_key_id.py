"""Issued notes store the id of the key that signed them, so that keys can be rotated.

Each existing note gets the id of the key of today's key ring (current,
retired, derived from SECRET_KEY or its fallbacks) under which its signature
verifies; a note no known key verifies keeps an empty id (plans.note.signing
then tries every key of the ring, so it still verifies should its key come
back). The records are immutable (trigger of 0005_note_records): the trigger
is set aside for this one UPDATE, in the migration's transaction, as the
owner role that runs migrations.
"""
from django.db import migrations, models


def give_key_ids(apps, schema_editor):
    from plans.note.signing import signing_key

    IssuedNote = apps.get_model("plans", "IssuedNote")
    found = {}
    for note in IssuedNote.objects.only("id", "number", "issued_at", "content", "signature", "key_id").iterator():
        key = signing_key(note)
        if key is not None:
            found.setdefault(key.id, []).append(note.id)
    if not found:
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE plans_issuednote DISABLE TRIGGER plans_issuednote_immutable")
        for key_id, ids in found.items():
            cursor.execute("UPDATE plans_issuednote SET key_id = %s WHERE id = ANY(%s)", [key_id, ids])
        cursor.execute("ALTER TABLE plans_issuednote ENABLE TRIGGER plans_issuednote_immutable")


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0006_extract_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuednote",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16,
                                   help_text="Id of the key that made the signature (plans.note.signing.key_id)."),
        ),
        migrations.RunPython(give_key_ids, migrations.RunPython.noop),
    ]
