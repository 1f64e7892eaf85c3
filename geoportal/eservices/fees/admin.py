"""Staff screens for fee schedules (editable) and invoices with their payments (read-only: only callbacks pay)."""
from django.contrib import admin

from ..common.admin import AgencyScopedAdmin
from .models import FeeSchedule, Invoice, Payment


@admin.register(FeeSchedule)
class FeeScheduleAdmin(AgencyScopedAdmin):
    list_display = ("agency", "service_code", "label_fr", "amount", "valid_from", "valid_until")
    list_filter = ("agency", "service_code")


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    fields = readonly_fields = ("provider", "provider_ref", "amount", "status", "sandbox", "started_at",
                                "completed_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(AgencyScopedAdmin):
    list_display = ("reference", "agency", "service_code", "amount", "status", "paid_in_sandbox", "created_at",
                    "used_for")
    list_filter = ("agency", "status", "service_code", "paid_in_sandbox")
    search_fields = ("reference", "subject", "used_for")
    readonly_fields = [f.name for f in Invoice._meta.fields]
    inlines = [PaymentInline]

    def has_add_permission(self, request):
        return False
