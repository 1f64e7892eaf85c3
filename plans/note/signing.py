"""A note's signature: the ground floor's key ring and HMAC (geoportal.core.signing), checked against a note.

`manage.py rotate_note_signing_key` makes a new key and says what to set (README, "Security").
"""
from geoportal.core.signing import (KEY_ID_LENGTH, SigningKey, canonical, current_key, key_id, key_ring, sha256,
                                    sign, verifying_key)

__all__ = ["KEY_ID_LENGTH", "SigningKey", "canonical", "current_key", "key_id", "key_ring", "sha256", "sign",
           "signature_valid", "signing_key"]


def signing_key(note):
    """The SigningKey of the ring whose signature `note` carries, or None when no known key signed it.

    A note stores its key id; a note without one (issued before ids existed and
    whose key was unknown when they were given) is tried against every key.
    """
    return verifying_key(note.signature, note.key_id, note.number, note.issued_at, note.content)


def signature_valid(note):
    """Whether an IssuedNote's stored signature matches its stored number, time and content under a known key."""
    return signing_key(note) is not None
