"""Agency GIS staff open and close a draft's public inquiry: the dates every public endpoint reads, the Inquiry
row, the draft moved to public_inquiry through the law's audited transition; every refusal names the value and
writes nothing.

Oracles: today's date (Africa/Casablanca) and the dates sent here; the sample plans (pa-tetouan-centre v2 in
force, v3 the draft) of data.generator.
"""
import datetime
import json
import random

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from geoportal.staff import roles
from geoportal.staff.models import grant
from plans.models import Agency, PlanDocument, PlanStatusChange
from plans.inquiry.models import Inquiry, Observation

pytestmark = pytest.mark.django_db


def day(offset):
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.INQUIRY_SUBMISSIONS_PER_HOUR = 10_000
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with connection.cursor() as cursor:  # no cached answer of another test (same counters, other dates)
        cursor.execute("UPDATE plans_table_version SET version = version + %s", [random.randrange(10**6, 10**9)])


@pytest.fixture
def gis(client):
    user = User.objects.create_user("sig-aut", password="x")
    agency = Agency.objects.get(code="AUT")
    roles.grant(user, agency, roles.PUBLISHER)
    grant(user, agency, services_role="agent")
    client.force_login(user)
    return user


@pytest.fixture
def draft():
    """pa-tetouan-centre v3 back to a plain draft without dates (as before its inquiry)."""
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    PlanDocument.objects.filter(id=plan.id).update(status="draft", inquiry_start=None, inquiry_end=None)
    plan.refresh_from_db()
    return plan


def _body(plan, **fields):
    return {"start": day(0), "end": day(29), "communes": sorted(plan.communes.values_list("code", flat=True)),
            "paper_file_fr": "Siège de l'agence urbaine, avenue Mohammed V, Tétouan (9h–16h)",
            "paper_file_ar": "مقر الوكالة الحضرية، شارع محمد الخامس، تطوان", **fields}


def _open(client, plan, **fields):
    return client.post(f"/api/inquiries/{plan.id}/open", json.dumps(_body(plan, **fields)),
                       content_type="application/json")


def _zone_plans(client):
    response = client.get("/ogc/collections/zones-inquiry/items?limit=10000&f=json")
    assert response.status_code == 200, response.content[:300]
    return {f["properties"].get("plan_id") for f in json.loads(response.content)["features"]}


def test_opening_a_draft_puts_it_to_inquiry_and_its_collections_become_public(client, gis, draft):
    assert draft.id not in _zone_plans(client)
    response = _open(client, draft)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "open" and body["start"] == day(0) and body["end"] == day(29)
    draft.refresh_from_db()
    assert draft.status == "public_inquiry"
    assert (draft.inquiry_start.isoformat(), draft.inquiry_end.isoformat()) == (day(0), day(29))
    change = PlanStatusChange.objects.filter(plan=draft).latest("id")
    assert (change.from_status, change.to_status, change.changed_by) == ("draft", "public_inquiry", gis)
    inquiry = Inquiry.objects.get(plan=draft)
    assert inquiry.opened_by == gis and inquiry.closed_at is None and inquiry.paper_file_ar.startswith("مقر")
    assert sorted(inquiry.communes.values_list("code", flat=True)) == _body(draft)["communes"]
    assert PlanDocument.objects.under_inquiry().filter(id=draft.id).exists()
    assert draft.id in _zone_plans(client)


def test_an_inquiry_opened_for_later_is_not_public_before_its_first_day(client, gis, draft):
    response = _open(client, draft, start=day(3), end=day(33))
    assert response.status_code == 200 and response.json()["state"] == "upcoming"
    assert draft.id not in _zone_plans(client)
    assert not PlanDocument.objects.under_inquiry().filter(id=draft.id).exists()
    assert PlanDocument.objects.under_inquiry(timezone.localdate() + datetime.timedelta(days=3)).filter(
        id=draft.id).exists()


def test_closing_ends_filing_and_the_register_can_be_exported(client, gis):
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    PlanDocument.objects.filter(id=plan.id).update(inquiry_start=day(-5), inquiry_end=day(25))
    centre = plan.perimeter.point_on_surface
    observation = {"text": "La voie VP2 coupe notre maison ; nous demandons son déplacement.", "theme": "voirie",
                   "lon": centre.x, "lat": centre.y}
    filed = client.post(f"/api/inquiries/{plan.id}/observations", json.dumps(observation),
                        content_type="application/json")
    assert filed.status_code == 201, filed.content
    response = client.post(f"/api/inquiries/{plan.id}/close")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed" and response.json()["end"] == day(-1)
    plan.refresh_from_db()
    assert plan.inquiry_end.isoformat() == day(-1) and plan.status == "public_inquiry"
    assert Inquiry.objects.get(plan=plan).closed_at is not None
    refused = client.post(f"/api/inquiries/{plan.id}/observations", json.dumps(observation),
                          content_type="application/json")
    assert refused.status_code == 409
    message = refused.json()["description"]
    assert plan.inquiry_start.strftime("%d/%m/%Y") in message and plan.inquiry_end.strftime("%d/%m/%Y") in message
    assert Observation.objects.filter(inquiry__plan=plan).count() == 1
    export = client.post(f"/api/inquiries/{plan.id}/register")
    assert export.status_code == 201 and export.json()["counts"]
    again = client.post(f"/api/inquiries/{plan.id}/close")
    assert again.status_code == 409 and day(-1) in again.json()["description"]


def _other_draft():
    """v4 of pa-tetouan-centre, a draft (to test overlaps with v3's inquiry)."""
    v3 = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    communes = list(v3.communes.all())
    v3.pk, v3.id, v3.version, v3.status, v3.supersedes_id = None, None, 4, "draft", None
    v3.inquiry_start = v3.inquiry_end = None
    v3.save()
    v3.communes.set(communes)
    return v3


REFUSALS = {
    "end-before-start": (dict(start=day(5), end=day(4)), 400, "end"),
    "start-in-past": (dict(start=day(-1)), 400, "start"),
    "too-long": (dict(end=day(60)), 400, "end"),
    "not-a-date": (dict(start="03/12/2026"), 400, "start"),
    "start-a-number": (dict(start=20261203), 400, "start"),
    "unknown-commune": (dict(communes=["ZZ999"]), 400, "communes"),
    "communes-object": (dict(communes={"a": 1}), 400, "communes"),
    "no-paper-file": (dict(paper_file_fr=""), 400, "paper_file_fr"),
    "huge-paper-file": (dict(paper_file_ar="x" * 5000), 400, "paper_file_ar"),
}


@pytest.mark.parametrize("fields, status, parameter", REFUSALS.values(), ids=REFUSALS.keys())
def test_each_wrong_value_is_refused_by_name_and_nothing_is_written(client, gis, draft, fields, status, parameter):
    before = (Inquiry.objects.count(), PlanStatusChange.objects.count())
    response = _open(client, draft, **fields)
    assert response.status_code == status, response.content
    assert response.json()["parameter"] == parameter, response.json()
    assert len(response.json()["description"]) > 10
    draft.refresh_from_db()
    assert (draft.status, draft.inquiry_start, draft.inquiry_end) == ("draft", None, None)
    assert (Inquiry.objects.count(), PlanStatusChange.objects.count()) == before


def test_plans_that_cannot_go_to_inquiry_and_other_users_are_refused(client, gis):
    in_force = PlanDocument.objects.get(reference="pa-tetouan-centre", status="approved")
    refused = _open(client, in_force)
    assert refused.status_code == 409 and "approved" in refused.json()["description"]
    v3 = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    PlanDocument.objects.filter(id=v3.id).update(inquiry_start=day(-5), inquiry_end=day(25))
    v4 = _other_draft()
    overlap = _open(client, v4, start=day(10), end=day(40))
    assert overlap.status_code == 409 and "v3" in overlap.json()["description"], overlap.content
    assert _open(client, v4, start=day(26), end=day(55)).status_code == 200  # after v3's inquiry: fine
    assert client.post("/api/inquiries/999999999/open", "{}", content_type="application/json").status_code == 404
    assert client.get(f"/api/inquiries/{v3.id}/open").status_code == 405

    other = User.objects.create_user("sig-aug", password="x")
    roles.grant(other, Agency.objects.get(code="AUG"), roles.PUBLISHER)
    client.force_login(other)
    assert _open(client, v3).status_code == 403
    assert client.post(f"/api/inquiries/{v3.id}/close").status_code == 403
    client.logout()
    assert _open(client, v3).status_code == 401
    assert client.post(f"/api/inquiries/{v3.id}/close").status_code == 401
    v3.refresh_from_db()
    assert (v3.inquiry_start.isoformat(), v3.inquiry_end.isoformat()) == (day(-5), day(25))


def test_reads_never_make_an_inquiry_row(client, gis, draft):
    Inquiry.objects.filter(plan=draft).delete()
    assert client.get(f"/api/inquiries/{draft.id}/observations").status_code == 404
    assert client.get(f"/api/inquiries/{draft.id}/counts").status_code == 404
    assert not Inquiry.objects.filter(plan=draft).exists()


def test_changing_the_dates_of_an_open_inquiry_keeps_its_first_day_and_adds_no_status_change(client, gis):
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    PlanDocument.objects.filter(id=plan.id).update(inquiry_start=day(-5), inquiry_end=day(25))
    changes = PlanStatusChange.objects.filter(plan=plan).count()
    extended = _open(client, plan, start=day(-5), end=day(40))
    assert extended.status_code == 200, extended.content
    assert (extended.json()["start"], extended.json()["end"], extended.json()["state"]) == (day(-5), day(40), "open")
    assert PlanStatusChange.objects.filter(plan=plan).count() == changes
    assert _open(client, plan, start=day(-4), end=day(40)).status_code == 400  # another day in the past: refused


def test_an_inquiry_is_not_closed_on_its_first_day_nor_before_it_opens(client, gis, draft):
    assert _open(client, draft).status_code == 200  # opens today
    first_day = client.post(f"/api/inquiries/{draft.id}/close")
    assert first_day.status_code == 409 and "opened today" in first_day.json()["description"]
    assert _open(client, draft, start=day(2), end=day(20)).status_code == 200
    upcoming = client.post(f"/api/inquiries/{draft.id}/close")
    assert upcoming.status_code == 409 and day(2) in upcoming.json()["description"]
    draft.refresh_from_db()
    assert (draft.inquiry_start.isoformat(), draft.inquiry_end.isoformat()) == (day(2), day(20))


def test_a_signed_in_form_post_keeps_the_csrf_check_and_takes_communes_as_a_list(gis, draft):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(gis)
    fields = {**_body(draft), "communes": ",".join(_body(draft)["communes"])}
    assert browser.post(f"/api/inquiries/{draft.id}/open", fields).status_code == 403
    browser.get("/notes/new")  # a form page: it sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(f"/api/inquiries/{draft.id}/open", {**fields, "csrfmiddlewaretoken": token})
    assert response.status_code == 200, response.content
    assert response.json()["communes"] == _body(draft)["communes"]
