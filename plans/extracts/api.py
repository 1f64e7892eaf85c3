"""GET/POST /api/extracts: the approved plan clipped to a parcel or an area, as a file.

Parameters (query string, form or JSON body): parcel | polygon | bbox
(+ area-crs, margin in metres), format, layers, crs, clip, plan, date,
paper, orientation, scale. A small extract answers with the file; a big one
answers 202 with the status URL of its background job.
"""

from django.http import FileResponse, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from geoportal.core.body import parameters
from geoportal.core.client import client_address
from plans.extracts import jobs, service
from plans.extracts.layers import LAYERS
from plans.extracts.request import ExtractRequest
from plans.extracts.writers import FORMATS
from plans.models import ExtractLog

from geoportal.core.errors import NotFound


@csrf_exempt
@require_http_methods(["GET", "POST"])
def extracts(request):
    """Make an extract (with parameters), or describe the parameters (without any)."""
    params = parameters(request, query_on_get=True)
    if not params:
        return JsonResponse(_describe(), json_dumps_params={"ensure_ascii": False})
    outcome = service.run(ExtractRequest.from_params(params), user=request.user,
                          client_address=client_address(request))
    if outcome.content is None:
        body = _status(request, outcome.log)
        response = JsonResponse(body, status=202, json_dumps_params={"ensure_ascii": False})
        response["Location"] = body["status_url"]
        return response
    response = HttpResponse(outcome.content, content_type=outcome.content_type)
    response["Content-Disposition"] = f'attachment; filename="{outcome.filename}"'
    response["X-Extract-Id"] = str(outcome.log.id)
    return response


@require_http_methods(["GET"])
def extract_status(request, extract_id):
    """The state of a (background) extract: queued, running, done with its download link, or failed (a job whose
    worker died or that the queue lost is found failed here, with a retry link)."""
    return JsonResponse(_status(request, jobs.reconcile(_log(extract_id))), json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # an API call with no session: nothing a forged form could abuse
@require_http_methods(["POST"])
def extract_retry(request, extract_id):
    """Queue a failed background extract again: 202 with its status."""
    body = _status(request, service.retry(_log(extract_id)))
    response = JsonResponse(body, status=202, json_dumps_params={"ensure_ascii": False})
    response["Location"] = body["status_url"]
    return response


@require_http_methods(["GET"])
def extract_download(request, extract_id):
    log = _log(extract_id)
    if log.status != ExtractLog.Status.DONE or not log.file:
        raise NotFound(f"extract {extract_id} has no file to download (status: {log.status}); "
                       "poll its status URL until it is done", "id")
    return FileResponse(log.file.open("rb"), as_attachment=True, filename=log.file.name.rsplit("/", 1)[-1],
                        content_type=FORMATS[log.format].content_type)


def _log(extract_id):
    log = ExtractLog.objects.filter(pk=extract_id).first()
    if log is None:
        raise NotFound(f"no extract {extract_id}", "id")
    return log


def _status(request, log):
    body = {
        "id": str(log.id),
        "status": log.status,
        "format": log.format,
        "requested_at": log.requested_at.isoformat(),
        "feature_counts": log.feature_counts,
        "status_url": request.build_absolute_uri(reverse("api-extract-status", args=[log.id])),
        "metadata": log.metadata,
    }
    if log.status == ExtractLog.Status.DONE and log.file:
        body["download_url"] = request.build_absolute_uri(reverse("api-extract-download", args=[log.id]))
        body["size_bytes"] = log.size_bytes
    if log.status == ExtractLog.Status.FAILED:
        body["error"] = log.error
        if log.background:
            body["retry_url"] = request.build_absolute_uri(reverse("api-extract-retry", args=[log.id]))
    return body


def _describe():
    return {
        "description": "Extrait du plan approuvé en vigueur, découpé sur une parcelle ou une zone.",
        "formats": {name: fmt.label_fr for name, fmt in FORMATS.items()},
        "layers": {name: layer.label_fr for name, layer in LAYERS.items()},
        "parameters": {
            "parcel": "titre foncier, e.g. 'TF 12345/19' (or polygon, or bbox)",
            "agency": "agency code when a title number exists at several agencies",
            "polygon": "GeoJSON or WKT polygon", "bbox": "minx,miny,maxx,maxy",
            "area-crs": "EPSG code of polygon/bbox coordinates (default 4326)",
            "margin": "metres around the parcel or area (0–500)",
            "format": "|".join(FORMATS), "layers": ",".join(LAYERS),
            "crs": "output EPSG code (default: the plan's Lambert)", "clip": "exact|whole",
            "plan": "plan reference when several plans cover the area", "date": "YYYY-MM-DD (default today)",
            "paper": "A4|A3 (pdf)", "orientation": "portrait|landscape (pdf)", "scale": "500–5000 (pdf)",
            "lang": "fr|ar: language of the PDF legend (pdf)",
        },
    }
