"""The HTTP API for automation: token auth, background jobs on a real RQ queue, typed errors."""
import json

import pytest

from layers.records import ApiToken
from plans.models import PlanDocument, Zone

from .files import in_force_plan, zones_gpkg

pytestmark = pytest.mark.django_db


def _auth(user):
    _token, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_upload_validate_publish_rollback_over_http(client, publisher, plan_in_force, tmp_path, sample_dataset,
                                                    queue, run_jobs):
    auth = _auth(publisher)
    path = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    with open(path, "rb") as f:
        response = client.post("/api/layers/uploads", {
            "file": f, "agency": "AUT", "target": "zones", "plan": plan_in_force.pk,
            "mapping": json.dumps({"code": "CODE", "label_fr": "LIBELLE", "cos": "COS"})}, **auth)
    assert response.status_code == 202, response.content
    upload = response.json()
    assert upload["job"]["status"] == "queued" and upload["srid"] == 26191 and upload["fields"] == ["CODE", "LIBELLE",
                                                                                                     "COS"]
    run_jobs()
    detail = client.get(f"/api/layers/uploads/{upload['id']}", **auth).json()
    assert detail["job"]["status"] == "finished" and detail["status"] == "validated", detail
    assert detail["job"]["done"] == detail["job"]["total"]
    report = client.get(f"/api/layers/uploads/{upload['id']}/report", **auth).json()
    assert report["publishable"] and report["feature_count"] == len(in_force_plan(sample_dataset)[1].zones)
    features = client.get(f"/api/layers/uploads/{upload['id']}/features.geojson", **auth).json()
    assert len(features["features"]) == report["feature_count"]

    response = client.post(f"/api/layers/uploads/{upload['id']}/publish", {"acknowledge_warnings": True},
                           content_type="application/json", **auth)
    assert response.status_code == 202, response.content
    assert PlanDocument.objects.get(pk=plan_in_force.pk).live_revision == 1  # not before the job ran
    run_jobs()
    assert PlanDocument.objects.get(pk=plan_in_force.pk).live_revision == 2
    versions = client.get(f"/api/layers/plans/{plan_in_force.pk}/versions", **auth).json()
    assert [v["revision"] for v in versions["revisions"]] == [2, 1] and versions["revisions"][0]["live"]

    response = client.post(f"/api/layers/plans/{plan_in_force.pk}/rollback", {"revision": 1},
                           content_type="application/json", **auth)
    assert response.json() == {"plan": plan_in_force.pk, "live_revision": 1, "previous_revision": 2}
    assert Zone.objects.live().filter(plan=plan_in_force, revision=1).count() > 0
    audit = client.get("/api/layers/audit?agency=AUT", **auth).json()["entries"]
    assert [e["action"] for e in audit[:4]] == ["rollback", "publish", "validate", "upload"]
    assert audit[1]["sha256"] == detail["sha256"] and audit[1]["user"] == "pub-aut"


def test_api_refusals_are_typed(client, publisher, guelmim_publisher, plan_in_force, tmp_path, sample_dataset,
                                queue):
    path = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    with open(path, "rb") as f:
        response = client.post("/api/layers/uploads", {"file": f, "agency": "AUT", "target": "zones",
                                                       "plan": plan_in_force.pk})
    assert response.status_code == 401 and response.json()["code"] == "Unauthorized"
    response = client.get("/api/layers/uploads", HTTP_AUTHORIZATION="Token wrong")
    assert response.status_code == 401 and "unknown or revoked" in response.json()["description"]
    with open(path, "rb") as f:
        response = client.post("/api/layers/uploads", {"file": f, "agency": "AUT", "target": "zones",
                                                       "plan": plan_in_force.pk}, **_auth(guelmim_publisher))
    assert response.status_code == 403 and "not editor of agency AUT" in response.json()["description"]
    response = client.get(f"/api/layers/plans/{plan_in_force.pk}/versions", **_auth(guelmim_publisher))
    assert response.status_code == 403
    auth = _auth(publisher)
    with open(path, "rb") as f:
        response = client.post("/api/layers/uploads", {"file": f, "agency": "AUT", "target": "zones",
                                                       "plan": plan_in_force.pk, "srid": "lambert"}, **auth)
    assert response.status_code == 400 and response.json()["parameter"] == "srid"
    with open(path, "rb") as f:
        upload = client.post("/api/layers/uploads", {"file": f, "agency": "AUT", "target": "zones",
                                                     "plan": plan_in_force.pk}, **auth).json()
    response = client.post(f"/api/layers/uploads/{upload['id']}/publish", {}, content_type="application/json", **auth)
    assert response.status_code == 409 and "only a validated upload" in response.json()["description"]
    response = client.post("/api/layers/plans/999999/rollback", {"revision": 1}, content_type="application/json",
                           **auth)
    assert response.status_code == 404


def test_session_posts_need_csrf(publisher, plan_in_force):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(publisher)
    response = client.post(f"/api/layers/plans/{plan_in_force.pk}/rollback", {"revision": 1})
    assert response.status_code == 403 and "CSRF" in response.json()["description"]


def test_staff_pages(client, publisher, plan_in_force, tmp_path, sample_dataset, queue, run_jobs):
    client.force_login(publisher)
    page = client.get("/layers/")
    assert page.status_code == 200 and "pa-tetouan-centre" in page.content.decode()
    with open(zones_gpkg(sample_dataset, tmp_path / "zones.gpkg"), "rb") as f:
        response = client.post("/layers/", {"file": f, "agency": "AUT", "target": "zones", "plan": plan_in_force.pk})
    assert response.status_code == 302
    upload_url = response["Location"]
    run_jobs()
    page = client.get(upload_url).content.decode()
    assert 'name="map_code"' in page and "<option selected>CODE</option>" in page  # suggested from the names
    client.post(upload_url, {"action": "mapping", "map_code": "CODE", "map_label_fr": "LIBELLE"})
    run_jobs()
    page = client.get(upload_url).content.decode()
    assert "Rapport de validation" in page and "Publier" in page
    report = client.get(upload_url + "report").content.decode()
    assert "ol.js" in report and "features.geojson" in report
