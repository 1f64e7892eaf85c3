"""/api/extracts: bad input, limits, background jobs, and a black-box client on the live server."""
import subprocess
import urllib.request

import django_rq
import pyogrio
import pytest
from rq import SimpleWorker

from plans.models import ExtractLog
from .conftest import lambert_bbox

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("params, status, parameter, words", [
    ({}, 200, None, None),  # no parameters: the description of the API
    ({"format": "gpkg"}, 400, "parcel", "exactly one of parcel"),
    ({"parcel": "TF 10001/19"}, 400, "format", "format is required"),
    ({"parcel": "TF 10001/19", "format": "kml"}, 400, "format", "gpkg"),
    ({"parcel": "n'importe quoi", "format": "gpkg"}, 400, "parcel", "TF 12345/19"),
    ({"parcel": "TF 99999999/19", "format": "gpkg"}, 404, "parcel", "no parcel"),
    ({"parcel": "TF 10001/19", "format": "gpkg", "layers": "zones,batiments"}, 400, "layers", "batiments"),
    ({"parcel": "TF 10001/19", "format": "gpkg", "margin": "5000"}, 400, "margin", "0 to 500"),
    ({"parcel": "TF 10001/19", "format": "gpkg", "crs": "EPSG:2154"}, 400, "crs", "EPSG:2154"),
    ({"parcel": "TF 10001/19", "format": "gpkg", "clip": "partial"}, 400, "clip", "exact"),
    ({"parcel": "TF 10001/19", "format": "gpkg", "date": "2000-01-01"}, 404, "plan", "in force on 2000-01-01"),
    ({"bbox": "501428,551513,501548,551613", "format": "gpkg"}, 400, "area-crs", "area-crs=EPSG:26191"),
    ({"bbox": "-5.0,33.0,-4.99,33.01", "format": "gpkg"}, 400, "area-crs", "outside every urban agency"),
    ({"bbox": "-5.45,35.45,-5.449,35.451", "format": "gpkg"}, 404, "plan", "no approved plan"),
    ({"polygon": "LINESTRING(0 0, 1 1)", "format": "gpkg"}, 400, "polygon", "LineString"),
    ({"polygon": "POLYGON((0 0,", "format": "gpkg"}, 400, "polygon", "neither GeoJSON nor WKT"),
])
def test_bad_requests_say_what_is_wrong(client, params, status, parameter, words):
    before = ExtractLog.objects.count()
    response = client.get("/api/extracts", params)
    assert response.status_code == status, response.content
    body = response.json()
    if parameter:
        assert body["parameter"] == parameter and words in body["description"], body
        assert ExtractLog.objects.count() == before, "a refused extract is not logged as made"
    else:
        assert "gpkg" in body["formats"] and "parcelles" in body["layers"]


def test_an_area_beyond_the_limits_is_refused_with_413(client, settings, parcel_box):
    settings.EXTRACT_MAX_AREA_M2 = 5000
    response = client.get("/api/extracts", {"format": "gpkg", **lambert_bbox(parcel_box)})
    assert response.status_code == 413
    assert "12,000 m²" in response.json()["description"] and "5,000" in response.json()["description"]
    settings.EXTRACT_MAX_AREA_M2 = 4_000_000
    settings.EXTRACT_MAX_FEATURES = 3
    response = client.get("/api/extracts", {"format": "gpkg", **lambert_bbox(parcel_box)})
    assert response.status_code == 413 and "features" in response.json()["description"]


def test_a_big_extract_runs_as_a_background_job_with_a_download_link(
        client, settings, tmp_path, parcel_box, django_capture_on_commit_callbacks):
    settings.EXTRACT_SYNC_MAX_FEATURES = 5
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/extracts", {"format": "gpkg", "margin": "0", **lambert_bbox(parcel_box)},
                               content_type="application/json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and response["Location"] == body["status_url"]
    log = ExtractLog.objects.get(pk=body["id"])
    assert log.background and sum(log.feature_counts.values()) > 5

    worker = django_rq.get_worker("default", worker_class=SimpleWorker)
    worker.work(burst=True)

    status = client.get(body["status_url"]).json()
    assert status["status"] == "done", status
    download = client.get(status["download_url"])
    assert download.status_code == 200
    path = tmp_path / "downloaded.gpkg"
    path.write_bytes(b"".join(download.streaming_content))
    assert pyogrio.read_info(path, layer="parcelles")["features"] == log.feature_counts["parcelles"]


def test_download_of_an_unfinished_extract_is_a_404(client):
    log = ExtractLog.objects.create(parameters={}, format="gpkg", status="queued", background=True)
    response = client.get(f"/api/extracts/{log.id}/download")
    assert response.status_code == 404 and "queued" in response.json()["description"]


def test_ogrinfo_reads_a_geopackage_from_the_live_server(live_server_url, tmp_path):
    url = f"{live_server_url}/api/extracts?format=gpkg&parcel=TF%2010001%2F19&margin=15&layers=zones,parcelles"
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200
        assert "TF-10001-19.gpkg" in response.headers["Content-Disposition"]
        (tmp_path / "live.gpkg").write_bytes(response.read())
    info = subprocess.run(["ogrinfo", "-so", "-al", str(tmp_path / "live.gpkg")], capture_output=True, text=True,
                          check=True).stdout
    assert "Layer name: zones" in info and "Layer name: parcelles" in info and "Merchich / Nord Maroc" in info
    assert "reference=pa-tetouan-centre" in info


def test_the_cli_writes_the_extract_and_logs_it(tmp_path):
    from django.core.management import CommandError, call_command

    output = tmp_path / "cli.geojson"
    call_command("extract", "--parcel", "TF 10002/19", "--format", "geojson", "--layers", "parcelles",
                 "-o", str(output), verbosity=0)
    assert "TF 10002/19" in pyogrio.raw.read(output)[3][1]
    assert ExtractLog.objects.filter(channel="cli", parameters__parcel="TF 10002/19").exists()
    with pytest.raises(CommandError, match="no parcel TF 424242/19"):
        call_command("extract", "--parcel", "TF 424242/19", "--format", "gpkg", verbosity=0)


def test_the_extract_log_is_an_audit_trail_in_the_admin(admin_client, parcel_box):
    from django.urls import reverse

    response = admin_client.get("/api/extracts", {"format": "geojson", "layers": "zones", **lambert_bbox(parcel_box)})
    log = ExtractLog.objects.get(pk=response["X-Extract-Id"])
    assert log.requested_by.username == "admin"
    listing = admin_client.get(reverse("admin:plans_extractlog_changelist"))
    assert listing.status_code == 200 and "geojson" in listing.content.decode()
    assert admin_client.get(reverse("admin:plans_extractlog_change", args=[log.pk])).status_code == 200
    assert admin_client.get(reverse("admin:plans_extractlog_add")).status_code == 403
