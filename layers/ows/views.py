"""The /ows view: validate the query, let MapServer answer (layers/ows/engine.py), pass its answer on."""
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from geoportal.core import replica
from geoportal.core.errors import InvalidParameter

from . import engine
from .params import validated_query


def online_resource(request):
    """The public URL of /ows, which MapServer writes into its capabilities."""
    return (settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")) + "/ows"


@csrf_exempt  # read-only (GET/HEAD): a POST gets 405, not a CSRF page
@require_safe
def ows(request):
    """WMS 1.3.0 and WFS 2.0 of the public layers (see the README's OGC section)."""
    query, substitutions = validated_query(request.GET)
    content_type, body, failed, database_failed = engine.run(query, substitutions, online_resource(request))
    if database_failed and replica.read_alias() == replica.REPLICA:
        replica.read_failed("MapServer could not read the streaming replica")  # answered again on the primary
    status = 200
    if failed:
        status = 400  # MapServer refused the request (its exception report says why)
        if not body:
            raise InvalidParameter("MapServer refused the request; check LAYERS, TYPENAMES, CRS and FILTER")
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response

