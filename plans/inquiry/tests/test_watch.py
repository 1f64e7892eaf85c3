"""Watching land, through a real SMTP server (aiosmtpd on loopback): double opt-in, the inquiry-open mail once,
one-click unsubscribe (GET and RFC 8058 POST)."""
import datetime
import re
from urllib.parse import quote, urlencode

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.utils import timezone

from plans.inquiry import watch
from plans.inquiry.models import Watch
from plans.models import Parcel, PlanDocument

from .conftest import body as _body
from .conftest import work as _work

pytestmark = pytest.mark.django_db


def _link(message, kind):
    return re.search(rf"https?://[^\s]*(/enquete/veille/{kind}/[^\s]+)", _body(message)).group(1)


def test_double_opt_in_inquiry_mail_once_and_one_click_unsubscribe(client, smtp, django_capture_on_commit_callbacks):
    draft = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    today = timezone.localdate()
    draft.inquiry_start, draft.inquiry_end = today + datetime.timedelta(days=1), today + datetime.timedelta(days=30)
    draft.save(update_fields=["inquiry_start", "inquiry_end"])
    parcel = Parcel.objects.filter(geom__within=draft.perimeter).order_by("title_number").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/watches", {"email": "voisin@example.ma", "parcels": parcel.title_number})
    assert response.status_code == 202, response.content
    _work()
    [confirmation] = smtp.messages
    assert confirmation["To"] == "voisin@example.ma" and parcel.title_number in _body(confirmation)
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Not confirmed: not told.
    draft.inquiry_start = today - datetime.timedelta(days=1)
    draft.save(update_fields=["inquiry_start"])
    with django_capture_on_commit_callbacks(execute=True):
        assert watch.notify_open_inquiries(root="http://testserver") == 0
    assert client.get(_link(confirmation, "confirmer")).json()["status"] == "confirmed"
    assert client.get("/enquete/veille/confirmer/forged").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert watch.notify_open_inquiries(root="http://testserver") == 1
        assert watch.notify_open_inquiries(root="http://testserver") == 0  # once per inquiry
    _work()
    opened = smtp.messages[1]
    assert draft.title_fr in opened["Subject"] and f"{draft.inquiry_end:%d/%m/%Y}" in _body(opened)
    # One click (RFC 8058 POST, no cookie) and the watch is gone.
    unsubscribe = re.search(r"<https?://[^/]+(/[^>]+)>", opened["List-Unsubscribe"]).group(1)
    assert client.post(unsubscribe).json()["status"] == "unsubscribed"
    assert not Watch.objects.exists()
    assert client.get(unsubscribe).status_code == 404


@pytest.mark.parametrize("body, parameter", [
    ({"parcels": "TF 10001/19"}, "email"),
    ({"email": "not an address", "parcels": "TF 10001/19"}, "email"),
    ({"email": "a@example.ma"}, "parcels"),
    ({"email": "a@example.ma", "area": "LINESTRING(0 0, 1 1)"}, "area"),
])
def test_bad_subscriptions_say_what_is_wrong(client, smtp, body, parameter):
    response = client.post("/api/watches", body)
    assert response.status_code == 400 and response.json()["parameter"] == parameter
    assert not Watch.objects.exists()


def _approve(plan, effective):
    plan.decree_reference, plan.decree_date, plan.effective_date = "Décret n° 2-26-418", effective, effective
    plan.change_status(PlanDocument.Status.APPROVED, comment="approved by decree")


def test_watchers_are_told_once_when_a_version_comes_into_force_or_is_superseded_there(
        smtp, django_capture_on_commit_callbacks):
    """By the plans' dates, in the daily notify: v3 approved (date of effect in two days) replaces v2. A watch v3
    covers is told of v3 (naming v2), a watch only v2 covered is told v2 was superseded; old history (v1
    superseded, v2 in force for years) is not news to a watch confirmed today."""
    v2 = PlanDocument.objects.get(reference="pa-tetouan-centre", version=2)
    v3 = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    centre = v2.perimeter.point_on_surface
    v3.perimeter = MultiPolygon(centre.buffer(0.002).envelope, srid=4326)  # the new version covers less land
    v3.save(update_fields=["perimeter"])
    parcels = Parcel.objects.filter(geom__within=v2.perimeter)
    inside = parcels.filter(geom__within=v3.perimeter).first()
    outside = parcels.exclude(geom__intersects=v3.perimeter).order_by("title_number").first()
    now = timezone.now()
    covered = Watch.objects.create(email="covered@example.ma", geom=inside.geom, parcels=inside.title_number,
                                   confirmed_at=now)
    left = Watch.objects.create(email="left@example.ma", geom=outside.geom, parcels=outside.title_number,
                                confirmed_at=now)
    Watch.objects.create(email="unconfirmed@example.ma", geom=inside.geom)
    today = timezone.localdate()
    effect = today + datetime.timedelta(days=2)
    _approve(v3, effect)
    v2.refresh_from_db()
    assert v2.status == "superseded" and v2.superseded_on == effect
    with django_capture_on_commit_callbacks(execute=True):
        assert watch.notify_plan_news(on=today, root="http://testserver") == 0  # not in force yet; history
    with django_capture_on_commit_callbacks(execute=True):
        assert watch.notify_plan_news(on=effect, root="http://testserver") == 2
        assert watch.notify_plan_news(on=effect + datetime.timedelta(days=1), root="http://testserver") == 0
    _work()
    told = {m["To"]: m for m in smtp.messages}
    assert set(told) == {"covered@example.ma", "left@example.ma"}
    new = told["covered@example.ma"]
    assert "Nouvelle version en vigueur" in new["Subject"] and "نسخة جديدة" in new["Subject"]
    assert f"{effect:%d/%m/%Y}" in _body(new) and "remplace la version 2" in _body(new)
    assert f"http://testserver/parcel/{quote(inside.title_number)}" in _body(new)
    assert f"/notes/new?{urlencode({'title': inside.title_number})}" in _body(new)
    gone = told["left@example.ma"]
    assert "Version remplacée" in gone["Subject"] and "(v2)" in _body(gone) and "لم تعد سارية" in _body(gone)
    for message in told.values():
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/enquete/veille/desinscrire/" in message["List-Unsubscribe"]
    assert sorted(covered.notices.values_list("kind", flat=True)) == ["in_force"]
    assert sorted(left.notices.values_list("kind", flat=True)) == ["superseded"]
