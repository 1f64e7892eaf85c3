"""Who may do what in which agency: Django auth groups per agency and role.

Groups are named "<AGENCY CODE> viewer", "<CODE> editor", "<CODE> publisher"
and "national admin". Roles include the ones below them: a publisher also
edits and views. National admins (and superusers) act in every agency.
"""
from django.contrib.auth.models import Group

from api.errors import Forbidden, Unauthorized
from plans.models import Agency

VIEWER, EDITOR, PUBLISHER = "viewer", "editor", "publisher"
ROLES = (VIEWER, EDITOR, PUBLISHER)
NATIONAL_ADMIN = "national admin"
_RANK = {role: rank for rank, role in enumerate(ROLES)}


def group_name(agency, role):
    return f"{agency.code} {role}"


def grant(user, agency, role):
    """Put `user` in the group of `role` for `agency` (creating the group if needed)."""
    if role == NATIONAL_ADMIN:
        group, _ = Group.objects.get_or_create(name=NATIONAL_ADMIN)
    else:
        if role not in _RANK:
            raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)} or {NATIONAL_ADMIN!r}")
        group, _ = Group.objects.get_or_create(name=group_name(agency, role))
    user.groups.add(group)


def is_national_admin(user):
    return user.is_superuser or user.groups.filter(name=NATIONAL_ADMIN).exists()


def roles_by_agency(user):
    """{agency code: highest role} for `user` (every agency at publisher for national admins)."""
    if not user or not user.is_authenticated:
        return {}
    if is_national_admin(user):
        return {code: PUBLISHER for code in Agency.objects.values_list("code", flat=True)}
    best = {}
    for name in user.groups.values_list("name", flat=True):
        code, _, role = name.rpartition(" ")
        if role in _RANK and (code not in best or _RANK[role] > _RANK[best[code]]):
            best[code] = role
    return best


def agencies_for(user, role=VIEWER):
    """Agencies where `user` holds at least `role`."""
    codes = [code for code, held in roles_by_agency(user).items() if _RANK[held] >= _RANK[role]]
    return Agency.objects.filter(code__in=codes)


def require(user, agency, role):
    """Raise Unauthorized/Forbidden unless `user` holds `role` (or higher) in `agency`."""
    if not user or not user.is_authenticated:
        raise Unauthorized("sign in, or send an API token in the header 'Authorization: Token <key>'")
    held = roles_by_agency(user).get(agency.code)
    if held is None or _RANK[held] < _RANK[role]:
        raise Forbidden(f"user {user.get_username()!r} is not {role} of agency {agency.code}; "
                        f"ask a national admin for the group '{group_name(agency, role)}'")
