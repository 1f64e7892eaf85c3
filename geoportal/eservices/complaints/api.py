"""JSON API of complaints: file one (multipart), read its status with the secret, delays for supervisors."""
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from api.errors import MissingParameter
from geoportal.staff.models import ServicesRole
from ..common.access import require_staff
from ..common.lookups import agency_by_code
from ..common.qr import absolute_url
from . import services
from .delays import delays_per_service
from .pages import file_from_request


def _json(body, status=200):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # anonymous, multipart, changes no session: nothing for CSRF to protect
@require_POST
def create(request):
    complaint, secret = file_from_request(request)
    path = reverse("eservices:complaint-track", args=[complaint.number, secret])
    return _json({"number": complaint.number, "secret": secret, "status": complaint.status,
                  "due_at": complaint.due_at.isoformat(), "tracking_url": absolute_url(request, path),
                  "attachments": complaint.attachments.count()}, status=201)


@require_GET
def detail(request, number):
    secret = request.GET.get("secret") or request.headers.get("X-Tracking-Secret")
    if not secret:
        raise MissingParameter("give `secret`, the code of your tracking link.", "secret")
    complaint = services.for_citizen(number, secret)
    return _json({
        "number": complaint.number, "agency": complaint.agency.code, "kind": complaint.kind,
        "category": complaint.category, "status": complaint.status, "status_label": complaint.get_status_display(),
        "service": complaint.department.name_fr if complaint.department else None,
        "created_at": complaint.created_at.isoformat(), "due_at": complaint.due_at.isoformat(),
        "answer": complaint.answer or None,
        "answered_at": complaint.answered_at.isoformat() if complaint.answered_at else None,
        "history": services.public_history(complaint),
    })


@require_GET
def delays(request):
    agency = agency_by_code(request.GET.get("agency"))
    require_staff(request.user, agency, ServicesRole.SUPERVISOR)
    return _json({"agency": agency.code, "services": delays_per_service(agency)})
