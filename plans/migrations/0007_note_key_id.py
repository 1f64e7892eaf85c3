"""Issued notes store the id of the key that signed them, so that keys can be rotated.

Each existing note gets the id of the key of today's key ring (current,
retired, derived from SECRET_KEY or its fallbacks) under which its signature
verifies; a note no known key verifies keeps an empty id (plans.note.signing
then tries every key of the ring, so it still verifies should its key come
back). The records are immutable (trigger of 0005_note_records): the trigger
is set aside for this one UPDATE, in the migration's transaction, as the
owner role that runs migrations.
"""
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

# The key ring of plans.note.signing as this migration was written, frozen here.
_DERIVATION = b"geoportal.note.signing"
_KEY_ID = b"geoportal.note.key-id\0"


def _ring():
    derived = [hmac.new(s.encode(), _DERIVATION, hashlib.sha256).digest()
               for s in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]
    materials = ([settings.NOTE_SIGNING_KEY.encode()] if settings.NOTE_SIGNING_KEY else []) \
        + [k.encode() for k in settings.NOTE_SIGNING_RETIRED_KEYS] + derived
    ring = {}
    for material in materials:
        ring.setdefault(hashlib.sha256(_KEY_ID + material).hexdigest()[:16], material)
    return ring


def signing_key_id(note, ring):
    payload = {"number": note.number, "issued_at": note.issued_at.isoformat(), "content": note.content}
    message = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    for key_id, material in ring.items():
        if hmac.compare_digest(note.signature, hmac.new(material, message, hashlib.sha256).hexdigest()):
            return key_id
    return None


def give_key_ids(apps, schema_editor):
    ring = _ring()
    IssuedNote = apps.get_model("plans", "IssuedNote")
    found = {}
    for note in IssuedNote.objects.only("id", "number", "issued_at", "content", "signature", "key_id").iterator():
        key_id = signing_key_id(note, ring)
        if key_id is not None:
            found.setdefault(key_id, []).append(note.id)
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
