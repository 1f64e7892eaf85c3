"""Permit files over HTTP: staff record a commission session and its decisions in the admin, a supervisor
publishes the results, the applicant reads status and decision by file number."""
import pytest
from django.urls import reverse

from geoportal.eservices.common.models import AuditEvent
from geoportal.eservices.conftest import admin_post
from geoportal.eservices.permits.models import CommissionDecision, CommissionSession, PermitFile

pytestmark = pytest.mark.django_db
API = "/api/services/permits"


@pytest.fixture
def files(client, agent, aut):
    client.force_login(agent)
    for number, kind in (("PC-2026-0153", "construire"), ("PL-2026-0007", "lotir")):
        response = admin_post(client, reverse("admin:es_permits_permitfile_add"), agency=aut.pk, number=number,
                              kind=kind, project_fr="Villa R+1", filed_on="2026-10-02")
        assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return {f.number: f for f in PermitFile.objects.filter(agency=aut)}


def record_session(client, aut, decisions):
    data = {"agency": aut.pk, "reference": "CPP-2026-12", "kind": "petits_projets", "held_on": "2026-11-10",
            "decisions-TOTAL_FORMS": len(decisions)}
    for i, decision in enumerate(decisions):
        data.update({f"decisions-{i}-{k}": v for k, v in decision.items()})
    return admin_post(client, reverse("admin:es_permits_commissionsession_add"), **data)


def test_commission_results_reach_the_applicant(client, agent, supervisor, aut, files):
    lookup = client.get(f"{API}/files/PC-2026-0153").json()
    assert lookup["status"] == "deposited" and lookup["decisions"] == []
    client.force_login(agent)
    response = record_session(client, aut, [
        {"file": files["PC-2026-0153"].pk, "decision": "favourable", "conditions_fr": "Retrait de 5 m sur rue.",
         "conditions_ar": "تراجع 5 أمتار عن الطريق"},
        {"file": files["PL-2026-0007"].pk, "decision": "deferred", "reasons_fr": "Plan de bornage manquant."},
    ])
    assert response.status_code == 302
    session = CommissionSession.objects.get(reference="CPP-2026-12")
    # Recorded but not published: the applicant sees "in commission" and no decision yet.
    lookup = client.get(f"{API}/files/PC-2026-0153").json()
    assert lookup["status"] == "in_commission" and lookup["decisions"] == []
    assert client.get(f"{API}/sessions/AUT/CPP-2026-12").status_code == 404
    # An agent cannot publish; a supervisor can, once.
    changelist = reverse("admin:es_permits_commissionsession_changelist")
    client.post(changelist, {"action": "publish_results", "_selected_action": [session.pk]})
    session.refresh_from_db()
    assert session.published_at is None
    client.force_login(supervisor)
    client.post(changelist, {"action": "publish_results", "_selected_action": [session.pk]})
    again = client.post(changelist, {"action": "publish_results", "_selected_action": [session.pk]}, follow=True)
    assert "already published" in again.content.decode()
    client.logout()

    lookup = client.get(f"{API}/files/pc-2026-0153", {"lang": "ar"}).json()
    assert lookup["status"] == "favourable"
    assert lookup["decisions"] == [{"session": "CPP-2026-12", "held_on": "2026-11-10", "file": "PC-2026-0153",
                                    "decision": "favourable", "reasons": "", "conditions": "تراجع 5 أمتار عن الطريق"}]
    results = client.get(f"{API}/sessions/AUT/CPP-2026-12").json()["results"]
    assert [(r["file"], r["decision"], r["reasons"]) for r in results] == [
        ("PC-2026-0153", "favourable", ""), ("PL-2026-0007", "deferred", "Plan de bornage manquant.")]
    assert [s["reference"] for s in client.get(f"{API}/sessions", {"agency": "AUT"}).json()["sessions"]] == [
        "CPP-2026-12"]
    page = client.get(reverse("eservices:permit-file"), {"number": "PL-2026-0007"}).content.decode()
    assert "Ajourné" in page and "Plan de bornage manquant." in page
    page = client.get(reverse("eservices:permit-session", args=["AUT", "CPP-2026-12"]), {"lang": "ar"})
    assert 'dir="rtl"' in page.content.decode() and "مؤجل" in page.content.decode()
    trail = list(AuditEvent.objects.filter(item_type="permit_file", item_ref="PC-2026-0153")
                 .values_list("action", "to_state"))
    assert trail == [("deposited", "deposited"), ("in_commission", "in_commission"),
                     ("decision_published", "favourable")]


def test_an_unfavourable_opinion_without_reasons_is_refused_and_nothing_saved(client, agent, aut, files):
    client.force_login(agent)
    response = record_session(client, aut, [{"file": files["PC-2026-0153"].pk, "decision": "unfavourable"}])
    assert response.status_code == 200 and "must give its reasons" in response.content.decode()
    assert not CommissionSession.objects.exists() and not CommissionDecision.objects.exists()
    assert PermitFile.objects.get(number="PC-2026-0153").status == "deposited"


def test_a_file_of_another_agency_cannot_be_decided(client, agent, aut, aug, files):
    other = PermitFile.objects.create(agency=aug, number="PC-2026-9999", kind="construire")
    client.force_login(agent)
    response = record_session(client, aut, [{"file": other.pk, "decision": "favourable"}])
    assert "belongs to agency AUG" in response.content.decode() and not CommissionDecision.objects.exists()


def test_unknown_and_ambiguous_numbers(client, aut, aug, files):
    response = client.get(f"{API}/files/PC-1999-0001")
    assert response.status_code == 404 and "no permit file numbered 'PC-1999-0001'" in response.json()["description"]
    page = client.get(reverse("eservices:permit-file"), {"number": "PC-1999-0001"})
    assert page.status_code == 404 and "no permit file numbered" in page.content.decode()
    PermitFile.objects.create(agency=aug, number="PC-2026-0153", kind="construire")
    response = client.get(f"{API}/files/PC-2026-0153")
    assert response.status_code == 400 and "add `agency`" in response.json()["description"]
    assert client.get(f"{API}/files/PC-2026-0153", {"agency": "AUG"}).json()["agency"] == "AUG"
