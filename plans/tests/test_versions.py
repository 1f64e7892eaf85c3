import pytest

from plans.models import PlanDocument, Zone
from plans.versions import data_version, table_versions

pytestmark = pytest.mark.django_db


def test_every_write_bumps_the_table_version():
    before = table_versions()
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=2)
    Zone.objects.filter(plan=plan, code="B3").update(revision=1)
    after = table_versions()
    assert after["plans_zone"] == before["plans_zone"] + 1
    assert after["plans_parcel"] == before["plans_parcel"]


def test_data_version_changes_with_the_named_tables_only():
    zones = data_version(["plans_zone"])
    plans = data_version(["plans_plandocument"])
    PlanDocument.objects.filter(reference="pa-tetouan-centre", version=2).update(live_revision=1)
    assert data_version(["plans_zone"]) == zones
    assert data_version(["plans_plandocument"]) != plans
