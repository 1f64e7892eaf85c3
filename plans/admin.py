"""Admin for planning data, with locally served map widgets."""
from django.contrib import admin, messages
from django.contrib.gis.admin import GISModelAdmin
from django.core.exceptions import ValidationError

from geoportal.core.widgets import LocalMapWidget

from .models import Agency, Commune, Parcel, PlanAttachment, PlanDocument, PlanStatusChange, Servitude, Zone, ZoneRule
from .models.document import PlanStatus


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


@admin.register(ZoneRule)
class ZoneRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "label_fr", "plan", "max_height_m", "max_floors", "cos", "ces")
    list_filter = ("plan__agency", "plan")
    search_fields = ("code", "label_fr", "label_ar")


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

