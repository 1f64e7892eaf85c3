"""Watching land: POST /api/watches (anyone), the confirmation and the one-click unsubscribe links."""
from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geoportal.core.body import parameters
from geoportal.core.qr import site_root
from geoportal.core.ratelimit import check as check_rate

from . import watch
from .responses import private_json as _json




@csrf_exempt  # anonymous; nothing happens before the address confirms
@require_POST
def subscribe(request):
    """POST /api/watches {email, parcels | area, lang}: a confirmation mail is sent (double opt-in)."""
    check_rate(request, "inquiry:watch", settings.INQUIRY_SUBMISSIONS_PER_HOUR, 3600,
               "more than {limit} watches from your address within an hour; try again later", "email")
    created = watch.subscribe(parameters(request), site_root(request))
    return _json({"status": "confirmation sent", "parcels": created.parcels or None}, status=202)


@require_GET
def confirm(request, token):
    created = watch.confirm(token)
    return _json({"status": "confirmed", "parcels": created.parcels or None})


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a cookie; the signed token is the credential
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    watch.unsubscribe(token)
    return _json({"status": "unsubscribed"})
