"""The extract log in the admin: read only, as an audit trail (who, what, when, outcome)."""
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from geoportal.core.widgets import LocalMapWidget
from plans.models import ExtractLog


@admin.register(ExtractLog)
class ExtractLogAdmin(GISModelAdmin):
    gis_widget = LocalMapWidget
    list_display = ("requested_at", "format", "plan", "status", "background", "requested_by", "client_address",
                    "area_m2", "size_bytes")
    list_filter = ("status", "format", "channel", "background", "plan__agency")
    date_hierarchy = "requested_at"
    list_select_related = ("plan", "requested_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
