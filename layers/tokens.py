"""API token authentication for scripts: `Authorization: Token <key>`."""
from django.utils import timezone

from api.errors import Unauthorized

from .records import ApiToken, hash_key


def request_user(request):
    """The user behind `request`: the API token's owner if a token is sent, else the session user."""
    header = request.headers.get("Authorization", "")
    if not header:
        return request.user
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "token" or not key.strip():
        raise Unauthorized("the Authorization header must read 'Token <key>'")
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key.strip())).first()
    if token is None or not token.user.is_active:
        raise Unauthorized(f"unknown or revoked API token {key.strip()[:8]}…; create one with "
                           "`manage.py publish_layer token USER`")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
