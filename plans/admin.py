"""Admin for planning data, with locally served map widgets."""
from django import forms
from django.contrib import admin, messages
from django.contrib.gis.admin import GISModelAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from geoportal.core.widgets import LocalMapWidget

from .models import (Agency, Commune, Parcel, PlanAttachment, PlanDocument, PlanStatusChange, Provision, Servitude,
                     Zone, ZoneRule)
from .models.document import PlanStatus
from .reglement import interchange, provisions, validation
from .reglement.flat import FLAT_FIELDS


class MapAdmin(GISModelAdmin):
    gis_widget = LocalMapWidget


@admin.register(Agency)
class AgencyAdmin(MapAdmin):
    list_display = ("code", "name_fr", "name_ar", "srid")
    search_fields = ("code", "name_fr", "name_ar")


@admin.register(Commune)
class CommuneAdmin(MapAdmin):
    list_display = ("code", "name_fr", "name_ar", "agency")
    list_filter = ("agency",)
    search_fields = ("code", "name_fr", "name_ar")


class AttachmentInline(admin.TabularInline):
    model = PlanAttachment
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = PlanStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "changed_by", "changed_at", "comment")

    def has_add_permission(self, request, obj=None):
        return False


def _status_action(target):
    def action(modeladmin, request, queryset):
        for plan in queryset:
            try:
                plan.change_status(target, user=request.user, comment="admin action")
            except ValidationError as exc:
                modeladmin.message_user(request, f"{plan}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"{plan}: now {plan.get_status_display()}")

    action.__name__ = f"mark_{target}"
    action.short_description = f"Change status to « {PlanStatus(target).label} »"
    return action


@admin.register(PlanDocument)
class PlanDocumentAdmin(MapAdmin):
    list_display = ("reference", "version", "title_fr", "kind", "status", "agency", "decree_reference",
                    "effective_date", "expiry_date")
    list_filter = ("agency", "kind", "status")
    search_fields = ("reference", "title_fr", "title_ar", "decree_reference")
    filter_horizontal = ("communes",)
    # Status moves only through the validated, audited transitions.
    readonly_fields = ("status", "superseded_on", "created_at", "updated_at")
    inlines = [AttachmentInline, StatusChangeInline]
    actions = [_status_action(s) for s in PlanStatus.values]
    change_form_template = "admin/plans/plandocument/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:pk>/reglement/", view(self.reglement_view), name="plans_plandocument_reglement"),
                path("<int:pk>/reglement.<str:fmt>", view(self.reglement_export),
                     name="plans_plandocument_reglement_export"), *super().get_urls()]

    def reglement_export(self, request, pk, fmt):
        plan = get_object_or_404(PlanDocument.objects.defer("perimeter"), pk=pk)
        if not self.has_view_permission(request, plan) or fmt not in ("json", "csv"):
            return HttpResponse(status=404)
        text = interchange.to_csv(plan) if fmt == "csv" else interchange.to_json(plan)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json")
        response["Content-Disposition"] = f'attachment; filename="reglement-{plan.reference}-v{plan.version}.{fmt}"'
        return response

    def reglement_view(self, request, pk):
        """Import a whole règlement (JSON or CSV, one row per provision) into this plan version."""
        plan = get_object_or_404(PlanDocument.objects.defer("perimeter"), pk=pk)
        if not self.has_change_permission(request, plan):
            return HttpResponse(status=403)
        form = ReglementImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                counts = interchange.import_rows(plan, interchange.read(upload.read(), upload.name.rsplit(".", 1)[-1]
                                                                        .lower()))
            except ValueError as exc:
                problems = [str(exc)]
            except ValidationError as exc:
                problems = exc.messages
            else:
                self.message_user(request, f"{sum(counts.values())} provisions imported in {len(counts)} zones")
                return redirect("admin:plans_plandocument_change", plan.pk)
        context = {**self.admin_site.each_context(request), "plan": plan, "form": form, "problems": problems,
                   "opts": self.model._meta, "title": f"Règlement — {plan}"}
        return render(request, "admin/plans/reglement_import.html", context)


class ReglementImportForm(forms.Form):
    file = forms.FileField(help_text="JSON or CSV, one row per provision (columns: " +
                                     ", ".join(interchange.COLUMNS) + ")")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".csv")):
            raise ValidationError(f"{upload.name}: give a .json or .csv file")
        if upload.size > 5_000_000:
            raise ValidationError(f"{upload.name} is {upload.size} bytes; at most 5 MB")
        return upload


class ProvisionFormSet(BaseInlineFormSet):
    """The rule's provisions checked together: errors name the provision (plans.reglement.validation)."""

    def clean(self):
        super().clean()
        rows = []
        for n, form in enumerate(self.forms, start=1):
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            row = provisions.normalised({k: v for k, v in form.cleaned_data.items() if k in provisions.FIELDS}, n)
            rows.append(row)
        problems = validation.check_all(rows)
        if problems:
            raise ValidationError(problems)


class ProvisionInline(admin.TabularInline):
    model = Provision
    formset = ProvisionFormSet
    extra = 1
    fields = ("position", "subject", "expression", "unit", "uses", "text_fr", "text_ar", "road_width_min",
              "road_width_max", "lot_area_min", "lot_area_max", "corner", "sub_zone", "use", "floor_from",
              "floor_to", "article", "paragraph")


@admin.register(ZoneRule)
class ZoneRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "label_fr", "plan", "max_height_m", "max_floors", "cos", "ces")
    list_filter = ("plan__agency", "plan")
    search_fields = ("code", "label_fr", "label_ar")
    inlines = [ProvisionInline]
    # The flat numbers sum up the provisions (plans.reglement.flat): edited through the provisions only.
    readonly_fields = FLAT_FIELDS

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        provisions.write_summary(form.instance)


@admin.register(Zone)
class ZoneAdmin(MapAdmin):
    list_display = ("code", "plan", "rule")
    list_filter = ("plan__agency", "plan", "code")
    search_fields = ("code",)
    raw_id_fields = ("rule",)


@admin.register(Servitude)
class ServitudeAdmin(MapAdmin):
    list_display = ("kind", "code", "label_fr", "plan", "width_m")
    list_filter = ("plan__agency", "plan", "kind")
    search_fields = ("code", "label_fr", "label_ar")
    readonly_fields = ("footprint",)


@admin.register(Parcel)
class ParcelAdmin(MapAdmin):
    list_display = ("title_number", "agency", "commune", "area_on_title_m2")
    list_filter = ("agency", "commune")
    search_fields = ("title_number",)
    list_select_related = ("agency", "commune")
    show_full_result_count = False  # a full COUNT over a million parcels on every page is wasted work

