"""Rotating the note signing key never makes a genuine note look forged (issue 13, item 6).

Oracle: the key ids are recomputed here from the key strings (SHA-256 of the
material), and the notes are issued and verified by real servers started with
the keys the rotation command wrote.
"""
import hashlib
import importlib
import json
import stat
import subprocess
import sys
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from conftest import LIVE_SIGNING_KEY, ROOT, live_server_env, serve
from plans.models import IssuedNote
from geoportal.core import signing as core_signing
from plans.note import issue, signing
from plans.note.verify import status


def key_id(key):
    return hashlib.sha256(b"geoportal.note.key-id\0" + key.encode()).hexdigest()[:16]


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read().decode()


def rotate(env, env_file):
    result = subprocess.run([sys.executable, "manage.py", "rotate_note_signing_key", "--env-file", str(env_file)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.django_db
def test_after_rotation_old_notes_verify_and_new_ones_use_the_new_key(live_server_url, tmp_path, settings):
    status_code, body = http("POST", f"{live_server_url}/api/notes", {"title_number": "TF 10004/19"})
    assert status_code == 201, body
    old = json.loads(body)
    assert old["key_id"] == key_id(LIVE_SIGNING_KEY)

    env_file = tmp_path / "geoportal.env"
    out = rotate(live_server_env(), env_file)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    from geoportal.management.commands.rotate_note_signing_key import read_env_file

    keys = read_env_file(env_file)
    assert keys["NOTE_SIGNING_RETIRED_KEYS"] == LIVE_SIGNING_KEY
    new_key = keys["NOTE_SIGNING_KEY"]
    assert new_key != LIVE_SIGNING_KEY and len(new_key) >= 32
    assert key_id(new_key) in out and key_id(LIVE_SIGNING_KEY) in out

    with serve(live_server_env(NOTE_ANONYMOUS_RATE="", **keys)) as rotated:
        verdict = json.loads(http("GET", f"{rotated}/api/notes/{old['number']}/verify")[1])
        assert verdict["authentic"] is True
        assert (verdict["key"], verdict["key_id"]) == ("retired", key_id(LIVE_SIGNING_KEY))
        page = http("GET", f"{rotated}/verify/{old['number']}")[1]
        assert 'id="authentic"' in page and "Signature invalide" not in page

        status_code, body = http("POST", f"{rotated}/api/notes", {"title_number": "TF 10005/19"})
        assert status_code == 201, body
        new = json.loads(body)
        assert new["key_id"] == key_id(new_key)
        verdict = json.loads(http("GET", f"{rotated}/api/notes/{new['number']}/verify")[1])
        assert verdict["authentic"] is True and verdict["key"] == "current"

    # The same records, checked here: without the retired key the old note matches no known key.
    settings.SECRET_KEY = live_server_env()["SECRET_KEY"]
    settings.NOTE_SIGNING_KEY, settings.NOTE_SIGNING_RETIRED_KEYS = new_key, [LIVE_SIGNING_KEY]
    note = IssuedNote.objects.get(number=old["number"])
    assert status(note)["authentic"] is True
    settings.NOTE_SIGNING_RETIRED_KEYS = []
    assert status(note)["authentic"] is False


def _note(number, key, key_id_stored):
    """A copy of a real issued note, numbered `number`, signed with `key` (str, or bytes of derived material)."""
    model = IssuedNote.objects.filter(number__startswith="IND-").first() or issue(
        {"title_number": "TF 10006/19"}, mode="indicative")
    material = key.encode() if isinstance(key, str) else key
    mac = core_signing._mac(core_signing._key(material, "test"), signing.canonical(number, model.issued_at, model.content))
    return IssuedNote.objects.create(
        number=number, mode=model.mode, agency=model.agency, issued_at=model.issued_at, plans_date=model.plans_date,
        land=model.land, request=model.request, content=model.content, data_version=model.data_version,
        signature=mac, key_id=key_id_stored)


@pytest.mark.django_db
def test_a_signature_of_no_known_key_is_not_authentic(settings, client):
    settings.NOTE_SIGNING_KEY, settings.NOTE_SIGNING_RETIRED_KEYS = "c" * 40, ["r" * 40]
    genuine = _note("IND-T-1", "r" * 40, key_id("r" * 40))
    unknown_key = _note("IND-T-2", "u" * 40, key_id("u" * 40))
    claims_known_key = _note("IND-T-3", "u" * 40, key_id("c" * 40))
    no_id_unknown = _note("IND-T-4", "u" * 40, "")
    assert status(genuine)["authentic"] is True
    for note in (unknown_key, claims_known_key, no_id_unknown):
        assert status(note)["authentic"] is False, note.number
        verdict = client.get(f"/api/notes/{note.number}/verify").json()
        assert verdict["authentic"] is False and verdict["key"] is None
        assert "Signature invalide" in client.get(f"/verify/{note.number}").content.decode()


def test_the_migration_gives_existing_notes_the_id_of_the_key_that_signed_them(owner_db, settings):
    """Run as the owner, as migrations are (it switches the note trigger off for its one UPDATE)."""
    from django.apps import apps

    migration = importlib.import_module("plans.migrations.0007_note_key_id")
    settings.NOTE_SIGNING_KEY, settings.NOTE_SIGNING_RETIRED_KEYS = "c" * 40, ["r" * 40]
    current, retired = _note("IND-M-1", "c" * 40, ""), _note("IND-M-2", "r" * 40, "")
    derived_key = signing.current_key("").material  # signed before NOTE_SIGNING_KEY was set
    _note("IND-M-3", derived_key, "")
    forged = _note("IND-M-4", "u" * 40, "")

    with connection.cursor() as cursor:  # a migration inserts nothing first: no deferred FK check is pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        migration.give_key_ids(apps, editor)
    ids = dict(IssuedNote.objects.filter(number__startswith="IND-M-").values_list("number", "key_id"))
    assert ids == {"IND-M-1": key_id("c" * 40), "IND-M-2": key_id("r" * 40),
                   "IND-M-3": signing.key_id(derived_key), "IND-M-4": ""}
    assert status(forged)["authentic"] is False
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():  # the trigger is back
        IssuedNote.objects.filter(pk=current.pk).update(key_id="0" * 16)
    assert status(retired)["key"] == "retired"


@pytest.mark.django_db
def test_rotation_refuses_an_environment_without_the_servers_keys(settings, tmp_path):
    settings.NOTE_SIGNING_KEY, settings.NOTE_SIGNING_RETIRED_KEYS = "c" * 40, []
    _note("IND-R-1", "s" * 40, key_id("s" * 40))  # signed by the server's key, unknown to this shell
    with pytest.raises(CommandError, match=f"key ids .*{key_id('s' * 40)}.*server's environment"):
        call_command("rotate_note_signing_key")
    with pytest.raises(CommandError, match="inside the repository"):
        call_command("rotate_note_signing_key", "--env-file", str(ROOT / "var" / "keys.env"))
    (tmp_path / "env").write_text(f"OTHER=kept\nNOTE_SIGNING_KEY={'s' * 40}\n")
    # (other tests' live servers leave notes signed with their own keys in this database)
    call_command("rotate_note_signing_key", "--env-file", str(tmp_path / "env"), "--drop-unknown-keys")
    from geoportal.management.commands.rotate_note_signing_key import read_env_file

    values = read_env_file(tmp_path / "env")
    assert values["OTHER"] == "kept" and values["NOTE_SIGNING_RETIRED_KEYS"] == "s" * 40
    assert key_id(values["NOTE_SIGNING_KEY"]) not in (key_id("s" * 40), key_id("c" * 40))
