"""An Idempotency-Key makes a note request safe to send again: one note, however many copies arrive, even at once.

Oracle: the rows of plans_issuednote (their count and numbers), never the service's own bookkeeping.
"""
import json
import threading
import uuid

import pytest
from django.db import connection

from plans.models import IssuedNote
from plans.note import issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.NOTE_ANONYMOUS_RATE = None


def post(client, body, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/notes", json.dumps(body), content_type="application/json", **extra)


def test_the_same_request_sent_again_with_its_key_gets_the_same_note(client):
    before = IssuedNote.objects.count()
    first = post(client, {"title_number": "TF 10001/19"}, key="3f9c2a1e-5b7d-4e0a-9c1b-aa00000000001")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    again = post(client, {"title_number": "TF 10001/19"}, key="3f9c2a1e-5b7d-4e0a-9c1b-aa00000000001")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["number"] == first.json()["number"]
    assert again.json()["signature"] == first.json()["signature"]
    assert IssuedNote.objects.count() == before + 1
    # Without a key, or with another one, each request is a new note.
    numbers = {post(client, {"title_number": "TF 10001/19"}).json()["number"],
               post(client, {"title_number": "TF 10001/19"}, key="another-key-0001").json()["number"]}
    assert len(numbers) == 2 and first.json()["number"] not in numbers
    assert IssuedNote.objects.count() == before + 3


def test_a_key_reused_for_another_request_is_a_conflict_that_writes_nothing(client):
    assert post(client, {"title_number": "TF 10001/19"}, key="reused-key-0001").status_code == 201
    before = IssuedNote.objects.count()
    response = post(client, {"title_number": "TF 10002/19"}, key="reused-key-0001")
    assert response.status_code == 409
    body = response.json()
    assert body["parameter"] == "Idempotency-Key" and "new key" in body["description"]
    assert IssuedNote.objects.count() == before


@pytest.mark.parametrize("key", ["short", "x" * 101, "key with spaces 1", "clé-accentuée-1", "a;DROP TABLE x"])
def test_a_malformed_key_is_refused_with_what_a_key_is(client, key):
    before = IssuedNote.objects.count()
    response = post(client, {"title_number": "TF 10001/19"}, key=key)
    assert response.status_code == 400
    assert response.json()["parameter"] == "Idempotency-Key" and "UUID" in response.json()["description"]
    assert IssuedNote.objects.count() == before


def test_copies_in_flight_at_once_make_one_note(django_db_blocker):
    """Four threads, each its own database connection (committed: notes are never deleted, hence a new key per
    run), issue with one key at the same moment, as when the proxy re-sends a request whose first replica is
    still committing it."""
    start, results, errors, key = threading.Barrier(4), [], [], f"in-flight-{uuid.uuid4()}"

    def one():
        try:
            start.wait()
            with django_db_blocker.unblock():
                results.append(issue({"title_number": "TF 10003/19"}, idempotency_key=key).number)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(results) == 4 and len(set(results)) == 1
    assert IssuedNote.objects.filter(idempotency_key=key).count() == 1
