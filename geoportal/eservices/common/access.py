"""Which agencies a staff user may act for, and the checks views and the admin share."""
from api.errors import Forbidden, Unauthorized

from .models import StaffMembership, StaffRole


def staff_agency_ids(user, role=None):
    """Agency ids the user works for (all agencies for a superuser: None means no restriction)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    memberships = StaffMembership.objects.filter(user=user)
    if role:
        memberships = memberships.filter(role=role)
    return set(memberships.values_list("agency_id", flat=True))


def scope(queryset, user, agency_field="agency", role=None):
    """`queryset` restricted to the agencies of `user`."""
    ids = staff_agency_ids(user, role)
    return queryset if ids is None else queryset.filter(**{f"{agency_field}__in": ids})


def require_staff(user, agency, role=None):
    """Raise Unauthorized/Forbidden unless `user` works for `agency` (with `role` if given)."""
    if not user.is_authenticated:
        raise Unauthorized("log in as a member of the agency's staff (/admin/login/).")
    ids = staff_agency_ids(user, role)
    if ids is not None and agency.pk not in ids:
        what = f"the {StaffRole(role).label.lower()} role" if role else "membership"
        raise Forbidden(f"user {user.get_username()!r} has no {what} for agency {agency.code}.")
