"""Public complaint pages: file one, track it by number + secret (complaints/tracking.py: never in a URL);
the supervisors' delays page."""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from plans.models import Agency
from geoportal.staff.models import ServicesRole
from geoportal.staff.roles import require_staff, staff_agency_ids
from ..common.i18n import pick_language
from ..common.lookups import agency_by_code, point_in_agency
from ..common.pages import form_or_error, render_page
from geoportal.core.qr import qr_data_uri
from ..common.territories import territories_geojson
from ..common.throttle import check_rate
from . import services, tracking
from .delays import delays_per_service, overdue_items
from .labels import LABELS

FORM = "eservices/complaints/new.html"


TRACK_FORM = "eservices/complaints/track_form.html"


def file_from_request(request, remember=True):
    """Shared by the page and the API: read the form fields and files, call the service; returns (complaint,
    secret) and, to `remember`, lets this browser's session read the complaint."""
    data = request.POST
    agency = agency_by_code(data.get("agency"))
    location = point_in_agency(data.get("lon"), data.get("lat"), agency)
    check_rate(request, "complaint")
    lang = pick_language(request)
    complaint, secret = services.file_complaint(
        agency, kind=data.get("kind") or "reclamation", category=data.get("category", ""),
        subject=data.get("subject", ""), text=data.get("text", ""),
        location=location, language=lang,
        contact_name=data.get("name", ""), contact_email=data.get("email", ""), contact_phone=data.get("phone", ""),
        files=request.FILES.getlist("attachments"),
        tracking_url=lambda number, secret: tracking.link(request, number, secret, lang))
    if remember:
        tracking.grant(request.session, complaint.number, secret)
    return complaint, secret


def new_complaint(request):
    extra = {"agencies": Agency.objects.order_by("code"), "territories": territories_geojson(),
             "base_map_url": settings.BASE_MAP_URL}
    if request.method != "POST":
        return render_page(request, FORM, LABELS, form={}, **extra)

    def action():
        complaint, _secret = file_from_request(request)
        return redirect(f"{tracking.page_path(complaint.number)}?lang={pick_language(request)}&new=1")

    return form_or_error(request, FORM, LABELS, action, **extra)


def track_form(request):
    """GET: the form (number and secret). POST: check them, let this session read the complaint, and go to
    its page, whose URL holds no secret (303)."""
    if request.method == "POST":
        def action():
            complaint = services.for_citizen(request.POST.get("number", ""), request.POST.get("secret", "").strip())
            tracking.grant(request.session, complaint.number)
            response = redirect(f"{tracking.page_path(complaint.number)}?lang={pick_language(request)}")
            response.status_code = 303
            return response

        return form_or_error(request, TRACK_FORM, LABELS, action)
    if "secret" in request.GET:  # an old bookmark: the secret is not read from a URL any more
        return render_page(request, TRACK_FORM, LABELS, status=400, form={"number": request.GET.get("number", "")},
                           error=LABELS[pick_language(request)]["secret_in_url"])
    return render_page(request, TRACK_FORM, LABELS, form={"number": request.GET.get("number", "")})


def track(request, number):
    """The complaint's status for a session that opened it; else the form, which the link's "#s=" fills in."""
    def action():
        checked = tracking.checked_number(number)
        if not tracking.granted(request.session, checked):
            return render_page(request, TRACK_FORM, LABELS, form={"number": checked})
        complaint = services.for_reader(request, checked)
        secret = tracking.pop_receipt(request.session, checked)
        link = tracking.link(request, checked, secret, pick_language(request)) if secret else None
        return render_page(request, "eservices/complaints/track.html", LABELS, complaint=complaint,
                           history=services.public_history(complaint), link=link, secret=secret,
                           qr=qr_data_uri(link) if link else None, new=request.GET.get("new") == "1",
                           attachments=complaint.attachments.order_by("pk"))

    return form_or_error(request, TRACK_FORM, LABELS, action, form={"number": number[:40]})


def delays(request):
    """Supervisors: open, overdue and answered complaints per service of their agency."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    ids = staff_agency_ids(request.user, ServicesRole.SUPERVISOR)
    code = request.GET.get("agency") or (Agency.objects.filter(pk__in=ids).values_list("code", flat=True).first()
                                         if ids else None)
    agency = agency_by_code(code)
    require_staff(request.user, agency, ServicesRole.SUPERVISOR)
    return render_page(request, "eservices/complaints/delays.html", LABELS, agency=agency,
                       rows=delays_per_service(agency), overdue=overdue_items(agency)[:200])
