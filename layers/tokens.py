"""API token authentication for scripts: `Authorization: Token <key>`."""
from django.utils import timezone

from api.errors import Unauthorized

from .records import ApiToken, hash_key


def _token(header):
    """(key, active token or None) of an `Authorization: Token <key>` header; (None, None) for another scheme."""
    scheme, _, key = (header or "").partition(" ")
    if scheme.lower() != "token" or not key.strip():
        return None, None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key.strip())).first()
    return key.strip(), (token if token is not None and token.user.is_active else None)


def user_for_header(header):
    """The active user whose API token the header carries, or None (reads nothing else of the request)."""
    token = _token(header)[1]
    return token.user if token else None


def request_user(request):
    """The user behind `request`: the API token's owner if a token is sent, else the session user."""
    header = request.headers.get("Authorization", "")
    if not header:
        return request.user
    key, token = _token(header)
    if key is None:
        raise Unauthorized("the Authorization header must read 'Token <key>'")
    if token is None:
        raise Unauthorized(f"unknown or revoked API token {key[:8]}…; create one with "
                           "`manage.py publish_layer token USER`")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
