"""HTTP API of layer publishing, under /api/layers/ (token or session auth; see README)."""
import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geoportal.core.errors import InvalidParameter, MissingParameter, NotFound

from . import access, jobs, mapping, parcels, publishing, staging, uploads
from layers.serving import sheets
from layers.records import AuditEntry, LayerUpload, Target
from geoportal.staff.roles import EDITOR, PUBLISHER, agencies_for, require_signed_in


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def describe(upload):
    """The public description of an upload (status, layers, mapping, job, report summary)."""
    names = [f["name"] for f in upload.fields]
    report = upload.report or {}
    return {
        "id": upload.pk, "agency": upload.agency.code, "plan": upload.plan_id, "target": upload.target,
        "file": upload.original_name, "sha256": upload.sha256, "size_bytes": upload.size_bytes,
        "status": upload.status, "layers": upload.layers, "layer": upload.layer_name,
        "srid": upload.source_srid, "encoding": upload.encoding or None, "fields": names,
        "feature_count": upload.feature_count, "mapping": upload.mapping or None,
        "saved_mapping": mapping.saved(upload.agency, upload.target, names) if names else None,
        "suggested_mapping": mapping.suggest(upload.target, names) if upload.target in mapping.SCHEMA else None,
        "schema": mapping.schema_help(upload.target) if upload.target in mapping.SCHEMA else None,
        "report": {k: report.get(k) for k in ("errors", "warnings", "publishable")} if report else None,
        "revision": upload.revision, "job": jobs.refresh(upload),
        "created_at": upload.created_at.isoformat(),
        "created_by": upload.created_by.get_username() if upload.created_by else None,
    }


@csrf_exempt
@require_http_methods(["GET", "POST"])
def upload_list(request):
    user = access.user_of(request)
    if request.method == "GET":
        found = LayerUpload.objects.filter(agency__in=_agencies_asked(request, user)).select_related(
            "agency", "plan", "created_by")[:100]
        return _json({"uploads": [describe(u) for u in found]})
    upload = submit(user, params(request), request.FILES.get("file"))
    return _json(describe(upload), status=202)


def _agencies_asked(request, user):
    """The agency named by ?agency=CODE (checked), else every agency the user may view; nobody's for an
    anonymous request (401, not an empty list)."""
    require_signed_in(user)
    if request.GET.get("agency"):
        return [access.agency(request.GET["agency"], user)]
    return agencies_for(user)


def submit(user, data, file):
    """Receive an uploaded file with its form/JSON parameters and queue its first job (API and pages)."""
    if file is None:
        raise MissingParameter("send the layer as multipart form field 'file'", "file")
    agency = access.agency(data.get("agency"), user, EDITOR)
    plan = access.plan(data["plan"], user, EDITOR) if data.get("plan") else None
    field_mapping = _mapping(data["mapping"]) if data.get("mapping") else None
    upload = uploads.receive(user, agency, data.get("target", ""), file, file.name, plan=plan,
                             layer=data.get("layer", ""), srid=_srid(data.get("srid")),
                             encoding=data.get("encoding", ""), field_mapping=field_mapping,
                             mapping_label=data.get("source_label", ""), tolerance_m2=data.get("tolerance_m2"))
    if upload.target == Target.SHEET:
        jobs.enqueue(upload, jobs.SHEET, user, title_fr=data.get("title_fr", ""), title_ar=data.get("title_ar", ""))
    else:
        deferred = {}
        if field_mapping is not None and not upload.fields:  # a zip: its fields are known once the job unpacked it
            deferred = {"mapping": field_mapping, "source_label": data.get("source_label", "")}
        jobs.enqueue(upload, jobs.IMPORT, user, **deferred)
    upload.refresh_from_db()
    return upload


params = access.params


def _srid(value):
    if value in (None, ""):
        return None
    try:
        return int(str(value).upper().removeprefix("EPSG:"))
    except ValueError:
        raise InvalidParameter(f"srid {value!r} is not an EPSG code (e.g. 26191)", "srid") from None


def _mapping(value):
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise InvalidParameter(f"mapping is not valid JSON ({exc})", "mapping") from None
    return value


@require_GET
def upload_detail(request, upload_id):
    return _json(describe(access.upload(upload_id, access.user_of(request))))


@csrf_exempt
@require_POST
def upload_mapping(request, upload_id):
    user = access.user_of(request)
    upload = access.upload(upload_id, user, EDITOR)
    data = params(request)
    if upload.status == LayerUpload.Status.RECEIVED:
        raise InvalidParameter(f"upload {upload.pk} is still being read; wait for its import job", "upload")
    uploads.map_fields(upload, _mapping(data.get("mapping")), user, data.get("source_label", ""),
                       data.get("tolerance_m2"))
    jobs.enqueue(upload, jobs.VALIDATE, user)
    upload.refresh_from_db()
    return _json(describe(upload), status=202)


@require_GET
def upload_report(request, upload_id):
    upload = access.upload(upload_id, access.user_of(request))
    if not upload.report:
        raise NotFound(f"upload {upload.pk} has no validation report yet (status {upload.status}); map its fields "
                       "and wait for the validation job", "upload")
    return _json(upload.report)


@require_GET
def upload_features(request, upload_id):
    upload = access.upload(upload_id, access.user_of(request))
    if upload.status == LayerUpload.Status.RECEIVED:
        raise NotFound(f"upload {upload.pk} is not read yet", "upload")
    return HttpResponse(staging.geojson(upload.staging_table), content_type="application/geo+json")


@csrf_exempt
@require_POST
def upload_publish(request, upload_id):
    user = access.user_of(request)
    upload = access.upload(upload_id, user, PUBLISHER)
    ack = str(params(request).get("acknowledge_warnings", "")).lower() in ("1", "true", "yes", "on")
    publishing.check_publishable(upload, ack)
    jobs.enqueue(upload, jobs.PUBLISH, user, acknowledge_warnings=ack)
    upload.refresh_from_db()
    return _json(describe(upload), status=202)


@require_GET
def plan_versions(request, plan_id):
    plan = access.plan(plan_id, access.user_of(request))
    return _json({"plan": plan.pk, "reference": plan.reference, "version": plan.version,
                  "live_revision": plan.live_revision, "revisions": publishing.versions(plan)})


@csrf_exempt
@require_POST
def plan_rollback(request, plan_id):
    user = access.user_of(request)
    plan = access.plan(plan_id, user, PUBLISHER)
    revision = params(request).get("revision")
    if revision in (None, ""):
        raise MissingParameter("give the revision to restore", "revision")
    previous = publishing.rollback(plan, revision, user)
    plan.refresh_from_db()
    return _json({"plan": plan.pk, "live_revision": plan.live_revision, "previous_revision": previous})


@require_GET
def parcel_releases(request, agency_code):
    agency = access.agency(agency_code, access.user_of(request))
    return _json({"agency": agency.code, "releases": parcels.releases(agency)})


@csrf_exempt
@require_POST
def parcel_restore(request, agency_code):
    user = access.user_of(request)
    agency = access.agency(agency_code, user, PUBLISHER)
    number = params(request).get("release")
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise InvalidParameter(f"release {number!r} is not a number", "release") from None
    parcels.restore(agency, number, user)
    return _json({"agency": agency.code, "releases": parcels.releases(agency)})


@require_GET
def audit_log(request):
    user = access.user_of(request)
    entries = AuditEntry.objects.filter(agency__in=_agencies_asked(request, user)).select_related(
        "agency", "user")[:200]
    return _json({"entries": [{
        "at": e.at.isoformat(), "action": e.action, "user": e.user.get_username() if e.user else None,
        "agency": e.agency.code, "plan": e.plan_id, "upload": e.upload_id, "target": e.target,
        "revision": e.revision, "feature_count": e.feature_count, "sha256": e.sha256, "detail": e.detail,
    } for e in entries]})


@require_GET
def plan_sheets(request, plan_id):
    """Scanned sheets of a plan: public when the plan is legally published, else for its agency's staff."""
    plan = access.sheets_of(plan_id, access.user_of(request))
    found = plan.attachments.filter(kind="sheet")
    template = request.build_absolute_uri("/").rstrip("/") + sheets.TILES_PATH  # braces must stay unquoted
    return _json({"plan": plan.pk, "sheets": [sheets.describe(a, template.format(id=a.pk)) for a in found]})


@require_GET
def sheet_tile(request, attachment_id, z, x, y):
    sheet = access.sheet(attachment_id, access.user_of(request))
    if z > 24 or not (0 <= x < 2 ** z and 0 <= y < 2 ** z):
        raise NotFound(f"tile {z}/{x}/{y} does not exist (z ≤ 24, 0 ≤ x, y < 2^z)", "tile")
    etag = f'"{sheet.sha256[:16]}-{z}-{x}-{y}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304)
    response = HttpResponse(sheets.tile_png(sheet, z, x, y), content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600" if sheets.is_public(sheet.plan) else "private, max-age=60"
    return response
