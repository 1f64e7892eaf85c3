"""Secrets of tracking links (complaints, inquiry observations): 128 random bits shown once, only a hash kept."""
import hashlib
import secrets


def new_secret():
    """A URL-safe secret of 128 bits for tracking links; only its hash is stored."""
    return secrets.token_urlsafe(16)


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret, digest):
    return bool(secret) and secrets.compare_digest(hash_secret(secret), digest)
