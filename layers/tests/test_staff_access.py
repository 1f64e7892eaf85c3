"""Staff APIs on the live server (gunicorn, DEBUG off): anonymous requests get 401, never an empty list; an API
token works on every staff endpoint; an upload refused for its mapping leaves no row, file or audit entry."""
import json

import pytest
import requests

from conftest import ROOT, in_db

from .files import zones_gpkg

pytestmark = pytest.mark.django_db

# Every staff endpoint of the APIs that answers GET (layers publishing, e-services supervisors).
STAFF_ENDPOINTS = [
    "/api/layers/uploads",
    "/api/layers/uploads?agency=AUT",
    "/api/layers/audit",
    "/api/layers/audit?agency=AUT",
    "/api/layers/parcels/AUT/releases",
    "/api/layers/plans/{plan}/versions",
    "/api/layers/plans/{draft}/sheets",
    "/api/services/complaints/delays?agency=AUT",
]
LIVE_MEDIA = ROOT / "var" / "media"  # the live server's MEDIA_ROOT (its default)


@pytest.fixture(scope="module")
def staff_token(django_db_setup, django_db_blocker):
    """(API token key, plan in force id, draft plan id) of a committed AUT publisher and supervisor."""
    def make():
        from django.contrib.auth import get_user_model

        from layers.records import ApiToken
        from plans.models import Agency, PlanDocument
        from geoportal.staff.models import grant

        user = get_user_model().objects.create_user("live-staff", password="x-secret-42")
        grant(user, Agency.objects.get(code="AUT"), publishing_role="publisher", services_role="supervisor")
        plans = PlanDocument.objects.filter(agency__code="AUT")
        return (ApiToken.issue(user, "live test")[1], plans.get(status="approved").pk,
                plans.filter(status="public_inquiry").first().pk)

    def clean():
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username="live-staff").delete()

    key, plan, draft = in_db(django_db_blocker, make)
    yield {"Authorization": f"Token {key}"}, plan, draft
    in_db(django_db_blocker, clean, owner=True)


def _urls(live_server_url, plan, draft):
    return [live_server_url + path.format(plan=plan, draft=draft) for path in STAFF_ENDPOINTS]


def test_anonymous_requests_to_staff_endpoints_get_401(live_server_url, staff_token):
    _auth, plan, draft = staff_token
    for url in _urls(live_server_url, plan, draft):
        response = requests.get(url, timeout=30)
        assert response.status_code == 401, (url, response.status_code, response.text[:200])
        assert response.json()["code"] == "Unauthorized" and response.json()["description"], url


def test_a_token_opens_every_staff_endpoint_and_a_wrong_one_none(live_server_url, staff_token):
    auth, plan, draft = staff_token
    for url in _urls(live_server_url, plan, draft):
        response = requests.get(url, headers=auth, timeout=30)
        assert response.status_code == 200, (url, response.status_code, response.text[:200])
        wrong = requests.get(url, headers={"Authorization": "Token not-a-key"}, timeout=30)
        assert wrong.status_code == 401 and "unknown or revoked" in wrong.json()["description"], url
    delays = requests.get(live_server_url + "/api/services/complaints/delays?agency=AUT", headers=auth, timeout=30)
    assert delays.json()["agency"] == "AUT"


def _counts():
    from layers.records import AuditEntry, FieldMapping, LayerUpload

    files = sorted(p for p in (LIVE_MEDIA / "layers").rglob("*") if p.is_file())
    return LayerUpload.objects.count(), AuditEntry.objects.count(), FieldMapping.objects.count(), files


@pytest.mark.parametrize("mapping, says", [
    ({"code": "NO_SUCH_FIELD"}, "which the file does not have"),
    ({"label_fr": "LIBELLE"}, "code must be mapped"),
    ({"colour": "CODE"}, "is not a field of zones"),
    ("[1, 2", "mapping is not valid JSON"),
    ([], "give a field mapping"),
])
def test_an_upload_refused_for_its_mapping_leaves_nothing(live_server_url, staff_token, sample_dataset, tmp_path,
                                                          mapping, says):
    auth, plan, _draft = staff_token
    path = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    before = _counts()
    with open(path, "rb") as handle:
        response = requests.post(live_server_url + "/api/layers/uploads", headers=auth, timeout=60, files={
            "file": ("zones.gpkg", handle)}, data={"agency": "AUT", "target": "zones", "plan": plan,
                                                   "mapping": mapping if isinstance(mapping, str)
                                                   else json.dumps(mapping)})
    assert response.status_code == 400, response.text
    assert response.json()["parameter"] == "mapping" and says in response.json()["description"]
    assert _counts() == before
