"""The register's JSON API: file and read observations (citizens), co-sign, moderate, group, answer (staff).

Citizens: POST /api/inquiries/<plan>/observations (JSON or multipart with `attachments`), answered with the
receipt number, the secret (shown once) and the secret link (its secret after "#": never sent to a server
log); GET /api/observations/<number> with the secret in X-Tracking-Secret; POST
/api/observations/<number>/cosign. The public list (/api/inquiries/<plan>/observations) and the OGC collection
`observations` carry published observations only, without personal data. Staff of the plan's agency
(e-services role, session or token): moderate, group, answer; their POSTs keep Django's CSRF check.
"""
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geoportal.core.body import parameters
from geoportal.core.errors import InvalidParameter, MissingParameter
from geoportal.core.qr import absolute_url
from geoportal.core.ratelimit import check as check_rate

from . import exports, register, selectors
from .public import observation_geojson, public_observation
from .responses import private_json as _json






def link(request, observation, secret):
    """The receipt's link: the observation page; its secret stays in the browser (after "#")."""
    return absolute_url(request, f"/enquete/observations/{observation.number}/#s={secret}")


@csrf_exempt  # anonymous, JSON or multipart, reads no cookie: nothing for CSRF to protect
@require_http_methods(["GET", "POST"])
def observations(request, plan_id):
    data = parameters(request) if request.method == "POST" else None  # a hostile body is refused first
    inquiry = register.inquiry_of(plan_id)
    if request.method == "GET":
        return _json(observation_geojson(inquiry))
    check_rate(request, "inquiry:observation", settings.INQUIRY_SUBMISSIONS_PER_HOUR, 3600,
               "more than {limit} observations from your address within an hour; try again later", "text")
    observation, secret = register.file_observation(inquiry, data,
                                                    request.FILES.getlist("attachments"))
    return _json({"number": observation.number, "position": observation.position, "secret": secret,
                  "status": observation.status, "link": link(request, observation, secret),
                  "attachments": observation.attachments.count()}, status=201)


def _secret(request):
    if "secret" in request.GET:
        raise InvalidParameter("a secret in a URL lands in access logs: send it in the X-Tracking-Secret header",
                               "secret")
    secret = request.headers.get("X-Tracking-Secret")
    if not secret:
        raise MissingParameter("give the secret of your receipt's link in the X-Tracking-Secret header", "secret")
    return secret


@require_GET
def detail(request, number):
    """Its author's view: status, moderation, answer (the published view: /api/observations/<n>/public)."""
    observation = register.for_author(number, _secret(request))
    return _json({**public_observation(observation), "status": observation.status,
                  "status_label": observation.get_status_display(), "text": observation.text,
                  "moderation_reason": observation.moderation_reason or None,
                  "cosignatures": observation.cosignatures.count(),
                  "attachments": [{"name": a.original_name, "type": a.mime, "size": a.size}
                                  for a in observation.attachments.order_by("pk")]})


@require_GET
def public_detail(request, number):
    return _json(public_observation(register.published(number)))


@csrf_exempt  # anonymous; one co-signature per address
@require_POST
def cosign(request, number):
    check_rate(request, "inquiry:cosign", settings.INQUIRY_SUBMISSIONS_PER_HOUR, 3600,
               "more than {limit} co-signatures from your address within an hour; try again later", "email")
    observation = register.numbered(number)
    register.cosign(observation, parameters(request))
    return _json({"number": observation.number, "cosignatures": observation.cosignatures.count()}, status=201)


@require_POST
def moderate(request, number):
    data = parameters(request)
    observation = register.moderate(register.numbered(number), request.user, data.get("decision"),
                                    data.get("public_text", ""), data.get("reason", ""))
    return _json({"number": observation.number, "status": observation.status})


@require_POST
def group(request, plan_id):
    data = parameters(request)
    numbers = data.get("observations") or []
    if isinstance(numbers, str):
        numbers = [n.strip() for n in numbers.split(",") if n.strip()]
    created = register.group(register.inquiry_of(plan_id), request.user, data.get("title"), numbers)
    return _json({"id": created.id, "title": created.title, "observations": sorted(numbers)}, status=201)


@require_POST
def answer(request, number):
    observation = register.answer(register.numbered(number), request.user, parameters(request).get("answer"))
    return _json({"number": observation.number, "answered_at": observation.answered_at.isoformat()})


@require_POST
def answer_group(request, group_id):
    target = selectors.group(group_id)
    register.answer(target, request.user, parameters(request).get("answer"))
    return _json({"id": target.id, "answered_at": target.answered_at.isoformat(),
                  "observations": sorted(target.observations.values_list("number", flat=True))})



@require_POST
def issue_register(request, plan_id):
    """POST /api/inquiries/<plan>/register (agency staff): a new signed export of the register."""
    inquiry = register.inquiry_of(plan_id)
    register.require_agency_staff(request.user, inquiry)
    export = exports.issue(inquiry, request.user)
    base = f"/api/registers/{export.number}"
    return _json({"number": export.number, "issued_at": export.issued_at.isoformat(),
                  "counts": export.content["counts"], "verify": absolute_url(request, exports.verify_path(export)),
                  "links": {fmt: f"{base}.{fmt}" for fmt in ("pdf", "csv", "gpkg")}}, status=201)


FORMATS = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "gpkg": "application/geopackage+sqlite3"}


@require_GET
def register_file(request, number, fmt):
    """GET /api/registers/<number>.<pdf|csv|gpkg> (agency staff)."""
    export = selectors.register_export(number)
    register.require_agency_staff(request.user, export.inquiry)
    if fmt == "pdf":
        data = exports.pdf(export, request)
    elif fmt == "csv":
        data = exports.csv_bytes(export)
    else:
        data = exports.gpkg_bytes(export)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export.number}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def verify_register(request, number):
    """GET /enquete/registres/<number>/verifier: is this register authentic (public; no content shown)."""
    export = selectors.register_export(number)
    return _json({"number": export.number, "issued_at": export.issued_at.isoformat(),
                  "plan": export.content["plan"], "counts": export.content["counts"],
                  "authentic": exports.authentic(export)})


@require_GET
def counts(request, plan_id):
    """GET /api/inquiries/<plan>/counts (agency staff): observations per commune, theme and status."""
    inquiry = register.inquiry_of(plan_id)
    register.require_agency_staff(request.user, inquiry)
    return _json(selectors.counts(inquiry))
