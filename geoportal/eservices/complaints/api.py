"""JSON API of complaints: file one (multipart), read its status and attachments with the secret (in the
X-Tracking-Secret header or a POST body, never in the URL), delays for supervisors."""
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geoportal.core.body import integer, parameters
from geoportal.core.errors import InvalidParameter, MissingParameter, NotFound
from geoportal.staff.models import ServicesRole
from geoportal.staff.roles import require_staff
from ..common.lookups import agency_by_code
from geoportal.core.private_files import download
from . import services, tracking
from .delays import delays_per_service
from .pages import file_from_request


def _json(body, status=200):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # anonymous, multipart, changes no session: nothing for CSRF to protect
@require_POST
def create(request):
    complaint, secret = file_from_request(request, remember=False)
    return _json({"number": complaint.number, "secret": secret, "status": complaint.status,
                  "due_at": complaint.due_at.isoformat(), "tracking_url": tracking.link(request, complaint.number,
                                                                                        secret),
                  "attachments": complaint.attachments.count()}, status=201)


@csrf_exempt  # the secret is the credential: no cookie is read
@require_http_methods(["GET", "POST"])
def detail(request, number):
    number = tracking.checked_number(number)
    if "secret" in request.GET:
        raise InvalidParameter("a secret in a URL lands in access logs: send it in the X-Tracking-Secret header, "
                               "or POST it as `secret`", "secret")
    secret = request.headers.get("X-Tracking-Secret") or (parameters(request).get("secret")
                                                          if request.method == "POST" else None)
    if not secret:
        raise MissingParameter("give the secret of your tracking link in the X-Tracking-Secret header.", "secret")
    complaint = services.for_citizen(number, secret)
    return _json({
        "number": complaint.number, "agency": complaint.agency.code, "kind": complaint.kind,
        "category": complaint.category, "status": complaint.status, "status_label": complaint.get_status_display(),
        "service": complaint.department.name_fr if complaint.department else None,
        "created_at": complaint.created_at.isoformat(), "due_at": complaint.due_at.isoformat(),
        "answer": complaint.answer or None,
        "answered_at": complaint.answered_at.isoformat() if complaint.answered_at else None,
        "history": services.public_history(complaint),
        "attachments": [{"id": a.pk, "name": a.original_name, "type": a.mime, "size": a.size}
                        for a in complaint.attachments.order_by("pk")],
    })


@require_GET
def attachment(request, number, pk):
    """An attachment as a download, for the agency's staff (session or token) or the filer (the session that
    opened the complaint, or its secret in X-Tracking-Secret); never from a public URL."""
    pk = integer(pk, "attachment", low=1)
    complaint = services.for_reader(request, number)
    item = complaint.attachments.filter(pk=pk).first()
    if item is None:
        raise NotFound(f"complaint {complaint.number} has no attachment {pk}", "attachment")
    return download(item.file, item.original_name, item.mime)


@require_GET
def delays(request):
    agency = agency_by_code(request.GET.get("agency"))
    require_staff(request.user, agency, ServicesRole.SUPERVISOR)
    return _json({"agency": agency.code, "services": delays_per_service(agency)})
