"""Who may do what in which agency: THE role checks, for layer publishing and for the e-services.

One staff.Membership per user and agency carries both roles. Layer publishing reads its `publishing_role`
(viewer < editor < publisher: a role includes the ones below it; require, agencies_for); the e-services
read its `services_role` (agent, supervisor; staff_agency_ids, scope, require_staff) and ignore the
publishing role, so a GIS editor does not see complaints unless also an agent. National admins (the group
"national admin") and superusers act in every agency of both.
"""
from django.contrib.auth.models import Group

from geoportal.core.errors import Forbidden, Unauthorized
from plans.models import Agency
from geoportal.staff.models import NATIONAL_ADMIN, Membership, PublishingRole, ServicesRole, is_national_admin
from geoportal.staff.models import grant as grant_membership

VIEWER, EDITOR, PUBLISHER = PublishingRole.VIEWER.value, PublishingRole.EDITOR.value, PublishingRole.PUBLISHER.value
ROLES = (VIEWER, EDITOR, PUBLISHER)
SERVICES_ROLES = tuple(ServicesRole.values)
_RANK = {role: rank for rank, role in enumerate(ROLES)}

__all__ = ["NATIONAL_ADMIN", "ROLES", "SERVICES_ROLES", "VIEWER", "EDITOR", "PUBLISHER", "agencies_for", "grant",
           "is_national_admin", "require", "require_signed_in", "require_staff", "roles_by_agency", "scope",
           "staff_agency_ids"]


def grant(user, agency, role):
    """Give `user` `role` in `agency`: a publishing role, an e-services role, or national admin (every agency)."""
    if role == NATIONAL_ADMIN:
        group, _ = Group.objects.get_or_create(name=NATIONAL_ADMIN)
        user.groups.add(group)
    elif role in _RANK:
        grant_membership(user, agency, publishing_role=role)
    elif role in SERVICES_ROLES:
        grant_membership(user, agency, services_role=role)
    else:
        raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES + SERVICES_ROLES)} "
                         f"or {NATIONAL_ADMIN!r}")


def roles_by_agency(user):
    """{agency code: publishing role} for `user` (every agency at publisher for national admins)."""
    if not user or not user.is_authenticated:
        return {}
    if is_national_admin(user):
        return {code: PUBLISHER for code in Agency.objects.values_list("code", flat=True)}
    return dict(Membership.objects.filter(user=user).exclude(publishing_role="")
                .values_list("agency__code", "publishing_role"))


def agencies_for(user, role=VIEWER):
    """Agencies where `user` holds at least `role`."""
    codes = [code for code, held in roles_by_agency(user).items() if _RANK[held] >= _RANK[role]]
    return Agency.objects.filter(code__in=codes)


def require_signed_in(user):
    """Raise Unauthorized for an anonymous request."""
    if not user or not user.is_authenticated:
        raise Unauthorized("sign in, or send an API token in the header 'Authorization: Token <key>'")


def require(user, agency, role):
    """Raise Unauthorized/Forbidden unless `user` holds `role` (or higher) in `agency`."""
    require_signed_in(user)
    held = roles_by_agency(user).get(agency.code)
    if held is None or _RANK[held] < _RANK[role]:
        raise Forbidden(f"user {user.get_username()!r} is not {role} of agency {agency.code}; ask a national admin "
                        f"for that role (manage.py publish_layer grant {user.get_username()} {agency.code} {role})")


# The e-services' role (services_role): agents and supervisors of an agency.

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
