"""Staff screens for permit files and commission sessions, scoped per agency.

Decisions are recorded in the session's inline and go through the audited
service (reasons required for unfavourable/deferred opinions); the
"publish results" action (supervisors) makes them public and final.
"""
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet

from geoportal.core.errors import ApiError
from ..common import audit
from ..common.admin import AgencyScopedAdmin
from . import services
from .models import CommissionDecision, CommissionSession, PermitFile


@admin.register(PermitFile)
class PermitFileAdmin(AgencyScopedAdmin):
    list_display = ("number", "kind", "agency", "commune", "filed_on", "status")
    list_filter = ("agency", "kind", "status")
    search_fields = ("number",)
    readonly_fields = ("status",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            audit.record(obj.agency, "permit_file", obj.number, "deposited", to_state=obj.status, actor=request.user)


class DecisionFormSet(BaseInlineFormSet):
    """Check each decision with the service's rules, so that a bad one is shown on the form and nothing is saved."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            decision = form.instance
            decision.session = self.instance
            try:
                services.check_decision(decision)
            except ApiError as error:
                form.add_error(None, error.description)


class DecisionInline(admin.StackedInline):
    model = CommissionDecision
    formset = DecisionFormSet
    extra = 1
    raw_id_fields = ("file",)

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommissionSession)
class CommissionSessionAdmin(AgencyScopedAdmin):
    list_display = ("reference", "kind", "agency", "held_on", "published_at")
    list_filter = ("agency", "kind")
    search_fields = ("reference",)
    inlines = [DecisionInline]
    actions = ["publish_results"]

    def save_formset(self, request, form, formset, change):
        for decision in formset.save(commit=False):
            services.record_decision(decision, request.user)

    @admin.action(description="Publier les résultats (superviseur)")
    def publish_results(self, request, queryset):
        for session in queryset:
            try:
                services.publish_session(session, request.user)
            except ApiError as error:
                self.message_user(request, f"{session.reference}: {error.description}", messages.ERROR)
            else:
                self.message_user(request, f"{session.reference}: résultats publiés")
