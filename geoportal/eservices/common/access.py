"""Which agencies a staff user may act for in the e-services, and the checks views and the admin share.

The agency membership is staff.Membership, shared with layer publishing: the
e-services read its `services_role` (agent, supervisor) and ignore the
publishing role, so a GIS editor does not see complaints unless also an agent.
"""
from geoportal.core.errors import Forbidden, Unauthorized
from geoportal.staff.models import Membership, ServicesRole, is_national_admin


def staff_agency_ids(user, role=None):
    """Agency ids the user works for (all agencies for a superuser or national admin: None means no restriction)."""
    if not user.is_authenticated:
        return set()
    if is_national_admin(user):
        return None
    memberships = Membership.objects.filter(user=user).exclude(services_role="")
    if role:
        memberships = memberships.filter(services_role=role)
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
        what = f"{ServicesRole(role).value} role" if role else "e-services role"
        raise Forbidden(f"user {user.get_username()!r} has no {what} for agency {agency.code}; "
                        "a superuser gives it in the admin (Personnel des agences: memberships).")
