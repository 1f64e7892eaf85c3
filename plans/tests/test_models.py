"""Model rules: legal status, unique titles, geometry validity, plans in force."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import Agency, Parcel, PlanDocument, Zone
from plans.models.document import PlanStatus

pytestmark = pytest.mark.django_db


def square(x, y, size=0.001):
    return MultiPolygon(Polygon.from_bbox((x, y, x + size, y + size)), srid=4326)


def bowtie():
    return MultiPolygon(Polygon(((-5.36, 35.58), (-5.35, 35.59), (-5.35, 35.58), (-5.36, 35.59), (-5.36, 35.58))),
                        srid=4326)


@pytest.fixture
def agency():
    return Agency.objects.get(code="AUT")


@pytest.fixture
def draft(agency):
    return PlanDocument.objects.create(
        agency=agency, reference="pa-test", version=1, kind="pa", title_fr="Plan test", title_ar="تصميم تجريبي",
        srid=26191, perimeter=square(-5.37, 35.58, 0.01),
    )


def test_a_draft_cannot_be_approved_without_public_inquiry(draft):
    with pytest.raises(ValidationError, match="cannot go from draft to approved"):
        draft.change_status(PlanStatus.APPROVED)


def test_approval_needs_decree_and_dates(draft):
    draft.change_status(PlanStatus.PUBLIC_INQUIRY)
    with pytest.raises(ValidationError) as info:
        draft.change_status(PlanStatus.APPROVED)
    assert "cannot be approved without decree_reference" in str(info.value)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.PUBLIC_INQUIRY


def test_the_database_refuses_an_approved_plan_without_decree(draft):
    with pytest.raises(IntegrityError, match="plan_approved_has_decree"), transaction.atomic():
        PlanDocument.objects.filter(pk=draft.pk).update(status=PlanStatus.APPROVED)


def test_status_changes_are_recorded_with_who_and_when(draft):
    user = get_user_model().objects.create_user("officer")
    draft.change_status(PlanStatus.PUBLIC_INQUIRY, user=user, comment="avis d'enquête")
    draft.decree_reference, draft.decree_date = "Décret n° 2-26-1", datetime.date(2026, 10, 1)
    draft.effective_date = datetime.date(2026, 10, 15)
    draft.change_status(PlanStatus.APPROVED, user=user)
    changes = list(draft.status_changes.values_list("from_status", "to_status", "changed_by__username"))
    assert changes == [("draft", "public_inquiry", "officer"), ("public_inquiry", "approved", "officer")]
    assert draft.expiry_date == datetime.date(2036, 10, 15)  # ten years in force


def test_approving_a_new_version_supersedes_the_old_one(agency):
    current = PlanDocument.objects.get(reference="pa-tetouan-centre", version=2)
    draft = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    draft.decree_reference, draft.decree_date = "Décret n° 2-27-5", datetime.date(2027, 1, 10)
    draft.effective_date = datetime.date(2027, 2, 1)
    draft.change_status(PlanStatus.APPROVED)
    current.refresh_from_db()
    assert current.status == PlanStatus.SUPERSEDED and current.superseded_on == datetime.date(2027, 2, 1)
    in_force = PlanDocument.objects.in_force(datetime.date(2027, 3, 1)).filter(agency=agency)
    assert list(in_force) == [draft]


def test_superseded_plans_cannot_come_back():
    old = PlanDocument.objects.get(reference="pa-tetouan-centre", version=1)
    with pytest.raises(ValidationError, match="cannot go from superseded to approved"):
        old.change_status(PlanStatus.APPROVED)


def test_plan_in_force_depends_on_the_date(agency):
    def versions(day):
        return list(PlanDocument.objects.in_force(day).filter(agency=agency).values_list("version", flat=True))

    assert versions(datetime.date(2005, 1, 1)) == []
    assert versions(datetime.date(2015, 6, 1)) == [1]
    assert versions(datetime.date(2019, 4, 17)) == [1]
    assert versions(datetime.date(2019, 4, 18)) == [2]
    assert versions(datetime.date(2026, 11, 23)) == [2]  # never the draft under public inquiry
    assert versions(datetime.date(2029, 4, 18)) == []  # expired


def test_title_numbers_are_unique_per_agency(agency):
    Parcel.objects.create(agency=agency, title_number="tf 99999-19", geom=square(-5.36, 35.58))
    with pytest.raises(IntegrityError, match="parcel_title_unique_per_agency"), transaction.atomic():
        Parcel.objects.create(agency=agency, title_number="TF 99999/19", geom=square(-5.361, 35.58))
    other = Agency.objects.get(code="AUG")
    Parcel.objects.create(agency=other, title_number="TF 99999/19", geom=square(-10.05, 28.98))
    assert Parcel.objects.filter(title_number="TF 99999/19").count() == 2


def test_invalid_geometry_is_refused_with_a_clear_message(agency):
    parcel = Parcel(agency=agency, title_number="TF 88888/19", geom=bowtie())
    with pytest.raises(ValidationError) as info:
        parcel.full_clean()
    message = str(info.value)
    assert "parcel TF 88888/19: invalid geometry" in message and "Self-intersection" in message
    with pytest.raises(IntegrityError, match="parcel_geom_valid"), transaction.atomic():
        parcel.save()


def test_zone_rule_must_belong_to_the_same_plan_and_code():
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=2)
    other_rule = PlanDocument.objects.get(reference="pa-tetouan-centre", version=1).rules.first()
    zone = Zone(plan=plan, code="B3", rule=other_rule, geom=square(-5.36, 35.58))
    with pytest.raises(ValidationError, match="does not govern zone B3"):
        zone.full_clean()
