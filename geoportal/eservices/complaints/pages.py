"""Public complaint pages: file one, track it by number + secret; the supervisors' delays page."""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from plans.models import Agency
from geoportal.staff.models import ServicesRole
from ..common.access import require_staff, staff_agency_ids
from ..common.i18n import pick_language
from ..common.lookups import agency_by_code, point_in_agency
from ..common.pages import form_or_error, render_page
from ..common.qr import absolute_url, qr_data_uri
from ..common.territories import territories_geojson
from ..common.throttle import check_rate
from . import services
from .delays import delays_per_service, overdue_items
from .labels import LABELS

FORM = "eservices/complaints/new.html"


def tracking_url(request, lang="fr"):
    def build(number, secret):
        return absolute_url(request, reverse("eservices:complaint-track", args=[number, secret]) + f"?lang={lang}")
    return build


def file_from_request(request):
    """Shared by the page and the API: read the form fields and files, call the service."""
    data = request.POST
    agency = agency_by_code(data.get("agency"))
    location = point_in_agency(data.get("lon"), data.get("lat"), agency)
    check_rate(request, "complaint")
    lang = pick_language(request)
    return services.file_complaint(
        agency, kind=data.get("kind") or "reclamation", category=data.get("category", ""),
        subject=data.get("subject", ""), text=data.get("text", ""),
        location=location, language=lang,
        contact_name=data.get("name", ""), contact_email=data.get("email", ""), contact_phone=data.get("phone", ""),
        files=request.FILES.getlist("attachments"), tracking_url=tracking_url(request, lang))


def new_complaint(request):
    extra = {"agencies": Agency.objects.order_by("code"), "territories": territories_geojson(),
             "base_map_url": settings.BASE_MAP_URL}
    if request.method != "POST":
        return render_page(request, FORM, LABELS, form={}, **extra)

    def action():
        complaint, secret = file_from_request(request)
        url = reverse("eservices:complaint-track", args=[complaint.number, secret])
        return redirect(f"{url}?lang={pick_language(request)}&new=1")

    return form_or_error(request, FORM, LABELS, action, **extra)


def track_form(request):
    number, secret = request.GET.get("number", "").strip(), request.GET.get("secret", "").strip()
    if number and secret:
        return redirect(reverse("eservices:complaint-track", args=[number, secret]) + f"?lang={pick_language(request)}")
    return render_page(request, "eservices/complaints/track_form.html", LABELS)


def track(request, number, secret):
    def action():
        complaint = services.for_citizen(number, secret)
        link = absolute_url(request, request.path)
        return render_page(request, "eservices/complaints/track.html", LABELS, complaint=complaint,
                           history=services.public_history(complaint), link=link, qr=qr_data_uri(link),
                           new=request.GET.get("new") == "1")

    return form_or_error(request, "eservices/complaints/track_form.html", LABELS, action)


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
