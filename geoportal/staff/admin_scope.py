"""Agency-scoped admin screens: a staff member sees and edits only the items of their agencies (staff.Membership).

Shared by the e-services and the slices (plans.inquiry): the ground floor, so that slices need not import
each other.
"""
from django.contrib import admin

from plans.models import Agency

from .roles import scope, staff_agency_ids


def is_agency_staff(user):
    """An active staff account that works for at least one agency in the e-services (or for all of them)."""
    ids = staff_agency_ids(user)
    return user.is_active and user.is_staff and (ids is None or bool(ids))


class AgencyScopedAdmin(admin.ModelAdmin):
    """A staff member sees and edits only the items of the agencies they belong to.

    `agency_field` is the lookup from the model to its Agency. Members of an
    agency (any role) may view, add and change; only superusers delete, since
    e-service records are evidence.
    """

    agency_field = "agency"

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, self.agency_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Choices limited to the user's agencies: the agency itself, and anything that has an agency."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        ids = staff_agency_ids(request.user)
        if ids is None or field is None or not hasattr(field, "queryset"):
            return field
        if db_field.related_model is Agency:
            field.queryset = field.queryset.filter(pk__in=ids)
        elif any(f.name == "agency" for f in db_field.related_model._meta.fields):
            field.queryset = field.queryset.filter(agency__in=ids)
        return field

    def has_module_permission(self, request):
        return is_agency_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ScopedReadOnlyInline(admin.TabularInline):
    """Rows shown read-only on an AgencyScopedAdmin page, to the same staff (no model permission needed):
    the parent's page is already limited to the user's agencies."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return is_agency_staff(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
