"""The inquiry's register in the Django admin, limited to the user's agencies (geoportal.staff.admin_scope).

Personal data (authors' and co-signers' names and e-mails, watchers' addresses) is masked in every list: staff
open one observation to read it. Observations come from citizens and inquiries are opened by
POST /api/inquiries/<plan>/open, so neither is added here; moderation goes through register.moderate (the
admin actions), so who moderated and when is always recorded. Register exports are signed: read only.
"""
from django.contrib import admin, messages
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import Exists, OuterRef

from geoportal.core.errors import ApiError
from geoportal.core.widgets import LocalMapWidget
from geoportal.staff.admin_scope import AgencyScopedAdmin, ScopedReadOnlyInline
from geoportal.staff.roles import staff_agency_ids
from plans.models import Agency

from . import register
from .models import CoSignature, Inquiry, Observation, ObservationAttachment, ObservationGroup, RegisterExport, Watch

PLAN_AGENCY = "plan__agency"
INQUIRY_AGENCY = "inquiry__plan__agency"


def mask(value):
    """'Fatima Bennani' → 'F***** B******', 'fatima@example.ma' → 'f*****@example.ma'; '' → '—' (anonymous)."""
    if not value:
        return "—"
    local, at, domain = value.partition("@")
    hidden = " ".join(word[:1] + "*" * (len(word) - 1) for word in local.split())
    return f"{hidden}{at}{domain}"


class InquiryScopedAdmin(AgencyScopedAdmin):
    """Choices of an inquiry (or group) limited to the user's agencies too, and nothing is deleted here."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        ids = staff_agency_ids(request.user)
        if ids is not None and field is not None and db_field.related_model in (Inquiry, ObservationGroup):
            lookup = PLAN_AGENCY if db_field.related_model is Inquiry else INQUIRY_AGENCY
            field.queryset = field.queryset.filter(**{f"{lookup}__in": ids})
        return field

    def has_delete_permission(self, request, obj=None):
        return False  # the register is evidence of the inquiry


@admin.register(Inquiry)
class InquiryAdmin(InquiryScopedAdmin):
    agency_field = PLAN_AGENCY
    list_display = ("__str__", "start", "end", "opened_at", "closed_at", "last_number")
    list_filter = ("plan__agency",)
    list_select_related = ("plan",)
    readonly_fields = ("plan", "start", "end", "opened_by", "opened_at", "closed_at", "last_number")
    fields = ("plan", "start", "end", "communes", "paper_file_fr", "paper_file_ar", "opened_by", "opened_at",
              "closed_at", "last_number")

    @admin.display(description="début")
    def start(self, obj):
        return obj.plan.inquiry_start

    @admin.display(description="fin")
    def end(self, obj):
        return obj.plan.inquiry_end

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        ids = staff_agency_ids(request.user)
        if ids is not None and field is not None:
            field.queryset = field.queryset.filter(agency__in=ids)
        return field

    def has_add_permission(self, request):
        return False  # POST /api/inquiries/<plan>/open (or the staff page) opens an inquiry


class AttachmentInline(ScopedReadOnlyInline):
    model = ObservationAttachment
    fields = readonly_fields = ("original_name", "mime", "size", "uploaded_at")


class CoSignatureInline(ScopedReadOnlyInline):
    model = CoSignature
    fields = readonly_fields = ("name", "email", "created_at")


@admin.action(description="Publier (texte tel que reçu)")
def publish(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, "publish")


def _moderate(modeladmin, request, queryset, decision):
    done = 0
    for observation in queryset.select_related("inquiry__plan__agency"):
        try:
            register.moderate(observation, request.user, decision)
            done += 1
        except ApiError as error:
            modeladmin.message_user(request, f"{observation.number}: {error.description}", messages.ERROR)
    modeladmin.message_user(request, f"{done} observation(s) publiée(s)", messages.SUCCESS)


@admin.register(Observation)
class ObservationAdmin(InquiryScopedAdmin, GISModelAdmin):
    gis_widget = LocalMapWidget
    agency_field = INQUIRY_AGENCY
    list_display = ("number", "theme", "status", "commune", "author", "email", "created_at", "answered_at")
    list_filter = ("status", "theme", "inquiry__plan__agency")
    search_fields = ("number",)
    list_select_related = ("commune",)
    actions = [publish]
    inlines = [AttachmentInline, CoSignatureInline]
    readonly_fields = ("inquiry", "number", "position", "theme", "article", "text", "public_text", "parcel",
                       "commune", "language", "author_name", "author_email", "status", "moderated_at",
                       "moderated_by", "moderation_reason", "answer", "answered_at", "answered_by", "created_at")
    fields = readonly_fields[:9] + ("place", "group") + readonly_fields[9:]

    @admin.display(description="auteur")
    def author(self, obj):
        return mask(obj.author_name)

    @admin.display(description="e-mail")
    def email(self, obj):
        return mask(obj.author_email)

    def has_add_permission(self, request):
        return False  # observations are filed by citizens (POST /api/inquiries/<plan>/observations)


@admin.register(ObservationGroup)
class ObservationGroupAdmin(InquiryScopedAdmin):
    agency_field = INQUIRY_AGENCY
    list_display = ("title", "inquiry", "answered_at")
    list_filter = ("inquiry__plan__agency",)
    readonly_fields = ("answer", "answered_at", "answered_by")  # answered through register.answer (e-mailed)


@admin.register(RegisterExport)
class RegisterExportAdmin(InquiryScopedAdmin):
    agency_field = INQUIRY_AGENCY
    list_display = ("number", "inquiry", "issued_at", "issued_by", "key_id")
    list_filter = ("inquiry__plan__agency",)
    readonly_fields = ("inquiry", "number", "issued_at", "issued_by", "key_id", "signature", "content")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Watch)
class WatchAdmin(InquiryScopedAdmin, GISModelAdmin):
    """Watches of land inside the user's agencies' territories (a watch has no agency of its own)."""

    gis_widget = LocalMapWidget
    list_display = ("masked_email", "parcels", "lang", "created_at", "confirmed_at")
    list_filter = ("lang",)
    readonly_fields = ("email", "parcels", "lang", "created_at", "confirmed_at")

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        ids = staff_agency_ids(request.user)
        if ids is None:
            return queryset
        return queryset.filter(Exists(Agency.objects.filter(id__in=ids, jurisdiction__intersects=OuterRef("geom"))))

    @admin.display(description="e-mail")
    def masked_email(self, obj):
        return mask(obj.email)

    def has_add_permission(self, request):
        return False  # double opt-in: only the person watching subscribes (POST /api/watches)

    def has_change_permission(self, request, obj=None):
        return False

