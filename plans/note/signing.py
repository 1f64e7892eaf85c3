"""The server's signature on an issued note: HMAC-SHA256 over its canonical JSON.

The key is settings.NOTE_SIGNING_KEY when set, else derived from SECRET_KEY
(so that rotating SECRET_KEY without setting NOTE_SIGNING_KEY invalidates
old signatures: production sets NOTE_SIGNING_KEY once and keeps it).
"""
import hashlib
import hmac
import json

from django.conf import settings


def _key():
    explicit = getattr(settings, "NOTE_SIGNING_KEY", "")
    if explicit:
        return explicit.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"geoportal.note.signing", hashlib.sha256).digest()


def canonical(number, issued_at, content):
    """The bytes that are signed: sorted keys, no spaces, UTF-8."""
    payload = {"number": number, "issued_at": issued_at.isoformat(), "content": content}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(number, issued_at, content):
    """Hex HMAC-SHA256 of the note."""
    return hmac.new(_key(), canonical(number, issued_at, content), hashlib.sha256).hexdigest()


def signature_valid(note):
    """Whether an IssuedNote's stored signature matches its stored number, time and content."""
    return hmac.compare_digest(note.signature, sign(note.number, note.issued_at, note.content))


def sha256(data):
    return hashlib.sha256(bytes(data)).hexdigest()
