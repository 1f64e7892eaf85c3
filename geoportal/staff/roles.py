"""Who may do what in which agency when publishing layers: the `publishing_role` of staff.Membership.

Roles include the ones below them: a publisher also edits and views.
National admins (the group "national admin") and superusers act in every
agency. The same membership carries the e-services role (agent, supervisor).
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
           "is_national_admin", "require", "require_signed_in", "roles_by_agency"]


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
