"""The job dashboard of django-rq (/django-rq/), for superusers only.

django-rq guards its views with `staff_member_required`, and every agency
staff member is staff (geoportal.staff.Membership): each could list, requeue
and delete the jobs of every agency. Here every view of django_rq.urls is
wrapped: a superuser passes, a logged-in staff member gets 403, anyone else
goes to the login page. The JSON statistics keep django-rq's bearer token
(settings.RQ_API_TOKEN, for monitoring) but no longer accept any staff
session. django-rq's copy of the dashboard inside the admin is switched off
(settings.RQ_SHOW_ADMIN_LINK = False): it let any staff member in too.

Its pages carry small static inline scripts and styles (the "select all" of
job lists, table widths); they are allowed by their SHA-256 hashes, computed
from django-rq's own templates, so the strict Content-Security-Policy stays
on these pages.
"""
import base64
import hashlib
import re
from functools import lru_cache, wraps
from pathlib import Path
from secrets import compare_digest

import django_rq
from csp.decorators import csp_update
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern
from django_rq import settings as rq_settings
from django_rq.urls import get_admin_urlpatterns, get_api_urlpatterns

@lru_cache(maxsize=2)
def inline_hashes(tag):
    """CSP sources ('sha256-…') of the static inline <`tag`> elements ("script", "style") of django-rq's templates."""
    hashes = set()
    for template in (Path(django_rq.__file__).parent / "templates").rglob("*.html"):
        for body in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", template.read_text(), re.S):
            if body.strip() and "{{" not in body and "{%" not in body:
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


def _bearer_token_valid(request):
    expected = rq_settings.get_api_token()
    header = request.headers.get("Authorization", "")
    return bool(expected) and header.startswith("Bearer ") and compare_digest(expected, header[7:].strip())


def superuser_only(view, allow_token=False):
    """`view` for active superusers (and, when `allow_token`, a valid RQ_API_TOKEN bearer); 403 for other users."""
    @wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_superuser) and not (allow_token and _bearer_token_valid(request)):
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied("the job dashboard is for superusers only")
        return view(request, *args, **kwargs)

    return csp_update({"script-src": inline_hashes("script"), "style-src": inline_hashes("style")})(guarded)


def _wrapped(patterns, allow_token):
    return [URLPattern(p.pattern, superuser_only(p.callback, allow_token), p.default_args, p.name) for p in patterns]


urlpatterns = _wrapped(get_api_urlpatterns(), allow_token=True) + _wrapped(get_admin_urlpatterns(), allow_token=False)
app_name = "django_rq"
