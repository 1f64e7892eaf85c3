"""One membership per user and agency: layer publishing and the e-services read the same row."""
import pytest
from django.core.management import call_command

from geoportal.core.errors import Forbidden
from geoportal.staff.roles import require_staff, staff_agency_ids
from geoportal.staff import roles
from geoportal.staff.models import Membership

pytestmark = pytest.mark.django_db


def test_grants_from_both_features_land_on_one_membership(django_user_model, aut, capsys):
    user = django_user_model.objects.create_user("gis-and-desk")
    call_command("publish_layer", "grant", "gis-and-desk", "AUT", "editor")
    call_command("publish_layer", "grant", "gis-and-desk", "aut", "supervisor")
    membership = Membership.objects.get(user=user)
    assert (membership.agency, membership.publishing_role, membership.services_role) == (aut, "editor", "supervisor")
    user.refresh_from_db()
    assert user.is_staff
    roles.require(user, aut, roles.EDITOR)
    require_staff(user, aut, "supervisor")
    assert staff_agency_ids(user) == {aut.pk}


def test_each_feature_reads_only_its_own_role(django_user_model, aut):
    gis = django_user_model.objects.create_user("gis-only")
    desk = django_user_model.objects.create_user("desk-only")
    roles.grant(gis, aut, roles.PUBLISHER)
    roles.grant(desk, aut, "agent")
    assert staff_agency_ids(gis) == set()  # a GIS publisher reads no complaint
    with pytest.raises(Forbidden, match="has no e-services role for agency AUT"):
        require_staff(gis, aut)
    with pytest.raises(Forbidden, match="is not viewer of agency AUT"):
        roles.require(desk, aut, roles.VIEWER)
    with pytest.raises(Forbidden, match="has no supervisor role for agency AUT"):
        require_staff(desk, aut, "supervisor")


def test_staff_of_one_agency_are_not_staff_of_another(django_user_model, aut, aug):
    user = django_user_model.objects.create_user("aut-staff")
    roles.grant(user, aut, roles.PUBLISHER)
    roles.grant(user, aut, "supervisor")
    with pytest.raises(Forbidden):
        roles.require(user, aug, roles.VIEWER)
    with pytest.raises(Forbidden):
        require_staff(user, aug)
    assert list(roles.agencies_for(user)) == [aut]


def test_national_admins_act_in_every_agency_of_both_features(django_user_model, aut, aug):
    user = django_user_model.objects.create_user("national")
    roles.grant(user, None, roles.NATIONAL_ADMIN)
    assert roles.roles_by_agency(user) == {code: "publisher" for code in ("AUT", "AUG", "AUL", "AUD")}
    assert staff_agency_ids(user) is None
    require_staff(user, aug, "supervisor")


def test_unknown_role_is_refused_with_the_choices(django_user_model, aut):
    user = django_user_model.objects.create_user("typo")
    with pytest.raises(ValueError, match="agent, supervisor"):
        roles.grant(user, aut, "boss")
