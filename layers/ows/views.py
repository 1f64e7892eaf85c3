"""The /ows view: validate the query, let MapServer answer (layers/ows/engine.py), pass its answer on."""
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from geoportal.core.errors import InvalidParameter

from . import engine
from .params import validated_query

EXCEPTION_TYPES = ("application/vnd.ogc.se_xml", "text/xml", "application/xml")


def online_resource(request):
    """The public URL of /ows, which MapServer writes into its capabilities."""
    return (settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")) + "/ows"


@csrf_exempt  # read-only (GET/HEAD): a POST gets 405, not a CSRF page
@require_safe
def ows(request):
    """WMS 1.3.0 and WFS 2.0 of the public layers (see the README's OGC section)."""
    query, substitutions = validated_query(request.GET)
    content_type, body, failed = engine.run(query, substitutions, online_resource(request))
    status = 200
    if failed or (content_type.startswith(EXCEPTION_TYPES) and _is_exception(body)):
        status = 400  # MapServer refused the request (its exception report says why)
        if not body:
            raise InvalidParameter("MapServer refused the request; check LAYERS, TYPENAMES, CRS and FILTER")
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _is_exception(body):
    head = body[:600]
    return b"ServiceExceptionReport" in head or b"ExceptionReport" in head
