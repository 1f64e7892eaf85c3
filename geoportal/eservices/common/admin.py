"""Admin for the audit trail; the agency-scoped bases live in geoportal.staff.admin_scope (re-exported here)."""
from django.contrib import admin

from geoportal.staff.admin_scope import AgencyScopedAdmin, ScopedReadOnlyInline, is_agency_staff
from .models import AuditEvent

__all__ = ["AgencyScopedAdmin", "AuditEventAdmin", "ScopedReadOnlyInline", "is_agency_staff"]


@admin.register(AuditEvent)
class AuditEventAdmin(AgencyScopedAdmin):
    list_display = ("at", "item_type", "item_ref", "action", "from_state", "to_state", "actor", "actor_label")
    list_filter = ("item_type", "action", "agency")
    search_fields = ("item_ref",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
