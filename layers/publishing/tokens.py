"""API token authentication for scripts: `Authorization: Token <key>`, on every /api/ endpoint.

TokenAuthenticationMiddleware sets request.user to the token's owner before
any view runs, so every staff endpoint that reads request.user (layers,
sheets and their tiles, e-services supervisors' delays) accepts a token as
it accepts a session. A request with a token needs no CSRF token: browsers
never send this header by themselves.
"""
from django.utils import timezone

from geoportal.core.errors import Unauthorized
from geoportal.core.responses import error_response

from layers.records import ApiToken, hash_key

API_PREFIX = "/api/"


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


def token_user(header):
    """The active user whose token is in the Authorization `header`; Unauthorized otherwise."""
    key, token = _token(header)
    if key is None:
        raise Unauthorized("the Authorization header must read 'Token <key>'")
    if token is None:
        raise Unauthorized(f"unknown or revoked API token {key[:8]}…; create one with "
                           "`manage.py publish_layer token USER`")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


class TokenAuthenticationMiddleware:
    """After Django's AuthenticationMiddleware: an API request's token decides who asks (401 if wrong)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if header is not None and request.path.startswith(API_PREFIX):
            try:
                request.user = token_user(header)
            except Unauthorized as error:
                return error_response(error)
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
