"""The staff pages of a plan's life (/staff/plans/, /staff/agencies/new): thin views over services, agencies
and selectors. A refused action shows its message on the page (the typed error's description), nothing changed."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from geoportal.core.errors import ApiError, NotFound
from geoportal.staff.models import is_national_admin
from geoportal.staff.roles import EDITOR, PUBLISHER, VIEWER, agencies_for, require
from plans import boundaries
from plans.crs import LAMBERT_CHOICES
from plans.models import Agency, PlanAttachment, PlanDocument
from plans.models.document import PlanKind

from . import agencies, selectors, services
from .perimeter import LIMIT_SETTING


def _file(request, name="perimeter"):
    upload = request.FILES.get(name)
    return (upload.name, upload.read()) if upload else None


@login_required
def plans_page(request):
    user = request.user
    if request.method == "POST":
        try:
            agency = _agency(request.POST.get("agency"))
            supersedes = _plan(request.POST["supersedes"], user) if request.POST.get("supersedes") else None
            plan = services.create_plan(
                user, agency, reference=request.POST.get("reference", "").strip(), kind=request.POST.get("kind"),
                title_fr=request.POST.get("title_fr", "").strip(), title_ar=request.POST.get("title_ar", "").strip(),
                perimeter_file=_file(request), srid=request.POST.get("srid") or None, supersedes=supersedes,
                scale_denominator=int(request.POST.get("scale_denominator") or 2000))
            messages.success(request, f"{plan.reference} v{plan.version} créé (projet)")
            return redirect("lifecycle-plan", plan.pk)
        except (ApiError, ValueError) as exc:
            messages.error(request, getattr(exc, "description", str(exc)))
    return render(request, "lifecycle/plans.html", {
        "plans": selectors.plans_for(user), "editor_agencies": agencies_for(user, EDITOR),
        "kinds": PlanKind.choices, "srids": LAMBERT_CHOICES, "national_admin": is_national_admin(user),
        "limit_setting": LIMIT_SETTING, "form": request.POST})


def _agency(code):
    agency = Agency.objects.filter(code=code or "").first()
    if agency is None:
        raise NotFound(f"no agency {code!r}")
    return agency


def _plan(plan_id, user, role=VIEWER):
    plan = PlanDocument.objects.select_related("agency", "supersedes").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(f"no plan {plan_id}")
    require(user, plan.agency, role)
    return plan


@login_required
def plan_page(request, plan_id):
    try:
        plan = _plan(plan_id, request.user)
    except ApiError as exc:
        return render(request, "layers/refused.html", {"message": exc.description}, status=exc.status)
    user = request.user
    return render(request, "lifecycle/plan.html", {
        "plan": plan, "area_m2": selectors.plans_for(user).get(pk=plan.pk).area_m2,
        "attachments": plan.attachments.all(), "history": selectors.history(plan),
        "next_statuses": selectors.next_statuses(plan), "can_edit": selectors.can(user, plan, EDITOR),
        "can_publish": selectors.can(user, plan, PUBLISHER), "legal_kinds": services.LEGAL_FILES,
        "kinds": [k for k in PlanAttachment.Kind if k != PlanAttachment.Kind.SHEET],
        "has_next": PlanDocument.objects.filter(supersedes=plan).exists(), "srids": LAMBERT_CHOICES})


def _action(action):
    """POST /staff/plans/<id>/<action>: run `action(request, plan)`, show its message, back to the plan."""
    @login_required
    @require_POST
    def view(request, plan_id):
        try:
            plan = _plan(plan_id, request.user)
            messages.success(request, action(request, plan))
        except (ApiError, ValueError) as exc:
            messages.error(request, getattr(exc, "description", str(exc)))
        return redirect("lifecycle-plan", plan_id)
    return view


def _set_perimeter(request, plan):
    services.set_perimeter(request.user, plan, _file(request), request.POST.get("srid") or None)
    return "périmètre remplacé"


def _attach(request, plan):
    attachment = services.attach(request.user, plan, request.POST.get("kind"), request.FILES.get("file"),
                                 request.POST.get("title_fr", "").strip(), request.POST.get("title_ar", "").strip())
    return f"{attachment.get_kind_display()} joint"


def _change_status(request, plan):
    services.change_status(request.user, plan, request.POST.get("status"), request.POST,
                           request.POST.get("comment", "").strip())
    return f"{plan.reference} v{plan.version} : {plan.get_status_display()}"


perimeter_page = _action(_set_perimeter)
attach_page = _action(_attach)
status_page = _action(_change_status)


@login_required
def agency_page(request):
    user = request.user
    if not is_national_admin(user):
        return render(request, "layers/refused.html", {
            "message": "seul un administrateur national crée les agences"}, status=403)
    if request.method == "POST":
        try:
            agency = agencies.create_agency(
                user, code=request.POST.get("code"), name_fr=request.POST.get("name_fr"),
                name_ar=request.POST.get("name_ar"), province_ids=request.POST.getlist("provinces"),
                srid=request.POST.get("srid") or None, address_fr=request.POST.get("address_fr", ""),
                address_ar=request.POST.get("address_ar", ""))
            messages.success(request, f"agence {agency.code} créée : {agency.communes.count()} commune(s), "
                                      f"EPSG:{agency.srid}")
            return redirect("lifecycle-plans")
        except ApiError as exc:
            messages.error(request, exc.description)
    return render(request, "lifecycle/agency.html", {
        "provinces": boundaries.provinces(), "srids": LAMBERT_CHOICES, "form": request.POST,
        "chosen": request.POST.getlist("provinces"), "attribution": boundaries.ATTRIBUTION,
        "agencies": Agency.objects.all()})
