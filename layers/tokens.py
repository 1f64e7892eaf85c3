"""API token authentication for scripts: `Authorization: Token <key>`, on every /api/ endpoint.

TokenAuthenticationMiddleware sets request.user to the token's owner before
any view runs, so every staff endpoint that reads request.user (layers,
sheets and their tiles, e-services supervisors' delays) accepts a token as
it accepts a session. A request with a token needs no CSRF token: browsers
never send this header by themselves.
"""
from django.utils import timezone

from api.errors import Unauthorized
from api.middleware import error_response

from .records import ApiToken, hash_key

API_PREFIX = "/api/"


def token_user(header):
    """The active user whose token is in the Authorization `header`; Unauthorized otherwise."""
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "token" or not key.strip():
        raise Unauthorized("the Authorization header must read 'Token <key>'")
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key.strip())).first()
    if token is None or not token.user.is_active:
        raise Unauthorized(f"unknown or revoked API token {key.strip()[:8]}…; create one with "
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
