"""Staff pages of layer publishing (/layers/): upload, map fields, read the report, publish, roll back.

The pages call the same services as the API; a refused action shows its
message on the page instead of the API's JSON error.
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from geoportal.core.errors import ApiError
from plans.models import PlanDocument

from . import access, api, jobs, mapping, parcels, publishing, uploads, validation
from layers.records import AuditEntry, LayerUpload, Target
from geoportal.staff.roles import EDITOR, PUBLISHER, VIEWER, agencies_for, roles_by_agency


@login_required
def dashboard(request):
    user = request.user
    agencies = list(agencies_for(user, VIEWER))
    if request.method == "POST":
        try:
            upload = _receive(request)
            return redirect("layers-page-upload", upload.pk)
        except ApiError as exc:
            messages.error(request, exc.description)
    plans = PlanDocument.objects.filter(agency__in=agencies).select_related("agency")
    return render(request, "layers/dashboard.html", {
        "agencies": agencies, "roles": roles_by_agency(user), "targets": Target.choices,
        "plans": [{"plan": p, "versions": publishing.versions(p)} for p in plans],
        "releases": {a.code: parcels.releases(a) for a in agencies},
        "uploads": LayerUpload.objects.filter(agency__in=agencies).select_related("agency", "plan")[:30],
        "audit": AuditEntry.objects.filter(agency__in=agencies).select_related("agency", "user")[:30],
    })


def _receive(request):
    return api.submit(request.user, request.POST, request.FILES.get("file"))


def _visible_upload(view):
    """Run `view(request, upload)` for an upload the user may see; else a page saying why not."""
    @login_required
    def wrapped(request, upload_id):
        try:
            upload = access.upload(upload_id, request.user)
        except ApiError as exc:
            return render(request, "layers/refused.html", {"message": exc.description}, status=exc.status)
        return view(request, upload)
    return wrapped


@_visible_upload
def upload_page(request, upload):
    if request.method == "POST":
        try:
            _act(request, upload)
        except ApiError as exc:
            messages.error(request, exc.description)
        return redirect("layers-page-upload", upload.pk)
    info = api.describe(upload)
    current = upload.mapping or info["saved_mapping"] or info["suggested_mapping"] or {}
    rows = [{"name": name, "help": h, "selected": _field_of(current.get(name)),
             "empty": (current.get(name) or {}).get("empty", "") if isinstance(current.get(name), dict) else ""}
            for name, h in (info["schema"] or {}).items()]
    return render(request, "layers/upload.html", {"upload": upload, "info": info, "mapping_rows": rows,
                                                  "tolerance": validation.tolerance_of(upload),
                                                  "tolerance_bounds": (settings.LAYERS_TOLERANCE_MIN_M2,
                                                                       settings.LAYERS_TOLERANCE_MAX_M2),
                                                  "can_publish": roles_by_agency(request.user).get(upload.agency.code)
                                                  == PUBLISHER})


def _field_of(spec):
    return spec if isinstance(spec, str) else (spec or {}).get("field", "")


def _act(request, upload):
    action = request.POST.get("action")
    if action == "mapping":
        access.upload(upload.pk, request.user, EDITOR)
        chosen = {}
        for name in mapping.SCHEMA[upload.target]:
            field, empty = request.POST.get(f"map_{name}"), request.POST.get(f"empty_{name}", "").strip()
            if field:
                chosen[name] = {"field": field, "empty": empty} if empty else field
        uploads.map_fields(upload, chosen, request.user, tolerance_m2=request.POST.get("tolerance_m2"))
        jobs.enqueue(upload, jobs.VALIDATE, request.user)
    elif action == "publish":
        access.upload(upload.pk, request.user, PUBLISHER)
        ack = request.POST.get("acknowledge_warnings") == "on"
        publishing.check_publishable(upload, ack)
        jobs.enqueue(upload, jobs.PUBLISH, request.user, acknowledge_warnings=ack)


@_visible_upload
def report_page(request, upload):
    return render(request, "layers/report.html", {
        "upload": upload, "report": upload.report,
        "features_url": reverse("layers-upload-features", args=[upload.pk]),
        "report_url": reverse("layers-upload-report", args=[upload.pk])})


@login_required
@require_POST
def rollback_page(request, plan_id):
    try:
        plan = access.plan(plan_id, request.user, PUBLISHER)
        publishing.rollback(plan, request.POST.get("revision"), request.user)
        messages.success(request, f"{plan.reference} v{plan.version}: revision {request.POST.get('revision')} restored")
    except ApiError as exc:
        messages.error(request, exc.description)
    return redirect("layers-page-dashboard")


@login_required
@require_POST
def restore_parcels_page(request, agency_code):
    try:
        agency = access.agency(agency_code, request.user, PUBLISHER)
        parcels.restore(agency, int(request.POST.get("release", "-1")), request.user)
        messages.success(request, f"{agency.code}: parcel release {request.POST.get('release')} restored")
    except (ApiError, ValueError) as exc:
        messages.error(request, getattr(exc, "description", str(exc)))
    return redirect("layers-page-dashboard")
