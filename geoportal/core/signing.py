"""The server's signature on what it issues (urbanism notes, inquiry registers): HMAC-SHA256 over canonical
JSON, under a key ring.

A document (a note) is signed with the current key (settings.NOTE_SIGNING_KEY; in
development, when it is unset, a key derived from SECRET_KEY) and stores the
id of that key beside its signature. Rotating keys never makes a genuine note
look forged: retired keys (settings.NOTE_SIGNING_RETIRED_KEYS) still verify
the notes they signed, and so do the keys derived from SECRET_KEY and from
each of Django's SECRET_KEY_FALLBACKS. A key id is a short SHA-256 of the key
material, so the notes issued before ids were stored were given theirs by
migration 0007. `manage.py rotate_note_signing_key` makes a new key and says
what to set (README, "Security").
"""
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings

_DERIVATION = b"geoportal.note.signing"
_KEY_ID = b"geoportal.note.key-id\0"
KEY_ID_LENGTH = 16  # hex characters (64 bits): ids tell keys apart, they do not protect them


@dataclass(frozen=True)
class SigningKey:
    id: str
    material: bytes
    origin: str  # "NOTE_SIGNING_KEY", "NOTE_SIGNING_RETIRED_KEYS" or "SECRET_KEY" (derived)


def key_id(material):
    """The id (hex) of the key `material` (bytes)."""
    return hashlib.sha256(_KEY_ID + material).hexdigest()[:KEY_ID_LENGTH]


def _key(material, origin):
    return SigningKey(key_id(material), material, origin)


def _derived(secret):
    return hmac.new(secret.encode(), _DERIVATION, hashlib.sha256).digest()


def current_key(explicit=None):
    """The key new notes are signed with (`explicit`: a NOTE_SIGNING_KEY other than the settings')."""
    explicit = settings.NOTE_SIGNING_KEY if explicit is None else explicit
    if explicit:
        return _key(explicit.encode(), "NOTE_SIGNING_KEY")
    return _key(_derived(settings.SECRET_KEY), "SECRET_KEY")


def key_ring(explicit=None, retired=None):
    """{key id: SigningKey} of every key that verifies: the current one, the retired ones, the derived ones.

    `explicit` and `retired` replace settings.NOTE_SIGNING_KEY and NOTE_SIGNING_RETIRED_KEYS (a rotation's plan).
    """
    retired = settings.NOTE_SIGNING_RETIRED_KEYS if retired is None else retired
    keys = [current_key(explicit)] + [_key(k.encode(), "NOTE_SIGNING_RETIRED_KEYS") for k in retired]
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    keys += [_key(_derived(secret), "SECRET_KEY") for secret in secrets]
    ring = {}
    for key in keys:
        ring.setdefault(key.id, key)
    return ring


def canonical(number, issued_at, content):
    """The bytes that are signed: sorted keys, no spaces, UTF-8."""
    payload = {"number": number, "issued_at": issued_at.isoformat(), "content": content}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _mac(key, message):
    return hmac.new(key.material, message, hashlib.sha256).hexdigest()


def sign(number, issued_at, content):
    """(key id, hex HMAC-SHA256) of the note under the current key."""
    key = current_key()
    return key.id, _mac(key, canonical(number, issued_at, content))


def verifying_key(signature, stored_key_id, number, issued_at, content):
    """The SigningKey of the ring that made `signature` over (number, issued_at, content), or None (forged).

    `stored_key_id`: the key id stored beside the signature; without one every key of the ring is tried.
    """
    ring = key_ring()
    if stored_key_id:
        candidates = [ring[stored_key_id]] if stored_key_id in ring else []
    else:
        candidates = list(ring.values())
    message = canonical(number, issued_at, content)
    return next((key for key in candidates if hmac.compare_digest(signature, _mac(key, message))), None)


def sha256(data):
    return hashlib.sha256(bytes(data)).hexdigest()
