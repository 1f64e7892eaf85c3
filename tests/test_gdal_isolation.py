"""Uploaded and submitted files cannot make GDAL read local files or fetch URLs (issue 13, item 1).

Against the live server (gunicorn, DEBUG=0): VRTs disguised as KML, GeoJSON, zip, GeoPackage and GeoTIFF,
GeoJSON pointing at URLs or /vsi paths, KML NetworkLinks and entities go to POST /api/notes (anonymous),
layer uploads and sheet uploads (staff token). A loopback listener started here receives no request, each
answer is a 4xx naming the expected format, /etc/passwd never shows, and an existing path is refused
exactly like a missing one. In this process, every GDAL build is checked for the guard itself.
"""
import io
import json
import subprocess
import sys
import time

import pyogrio
import pytest
import rasterio
from django.db import connection
from django_rq import get_queue

from geoportal.core.errors import InvalidParameter
from geoportal import dbroles, gdal_guard
from layers.publishing import jobs, uploads
from layers.records import AuditEntry, LayerUpload

from . import attack

KML = ('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}<Placemark><Polygon>'
       "<outerBoundaryIs><LinearRing><coordinates>-5.3626,35.5889 -5.3620,35.5889 -5.3620,35.5894 -5.3626,35.5889"
       "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>")


@pytest.fixture
def listener():
    server = attack.Listener()
    yield server
    server.close()


def payloads(url):
    """(label, file name, bytes, words the refusal must contain: one, or (for notes, for layers)) — each would
    reach `url` or a local file if GDAL opened it as it pleased."""
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-5.36, 35.58]}}
    return [
        ("vrt-as-kml", "zones.kml", attack.ogr_vrt(f"/vsicurl/{url}/vrt.geojson"), "KML"),
        ("vrt-as-geojson", "zones.geojson", attack.ogr_vrt(f"/vsicurl/{url}/vrt.geojson"), "GeoJSON"),
        ("vrt-as-zip", "zones.zip", attack.ogr_vrt(f"/vsicurl/{url}/vrt.geojson"), "zip"),
        ("vrt-in-zip", "zones.zip", attack.zipped({"zones.kml": attack.ogr_vrt(f"/vsicurl/{url}/z.kml")}),
         ("Shapefile", "KML")),
        ("vrt-as-gpkg", "zones.gpkg", attack.ogr_vrt(f"/vsicurl/{url}/vrt.gpkg"), "GeoPackage"),
        ("raster-vrt-as-tif", "planche.tif", attack.raster_vrt(f"/vsicurl/{url}/r.tif"), "GeoTIFF"),
        ("geojson-crs-link", "zones.geojson", json.dumps({"type": "FeatureCollection", "features": [feature], "crs": {
            "type": "link", "properties": {"href": f"{url}/crs", "type": "proj4"}}}).encode(), "GeoJSON"),
        ("geojson-vsicurl-crs", "zones.geojson", json.dumps({"type": "FeatureCollection", "features": [feature],
                                                              "crs": {"type": "name", "properties": {
                                                                  "name": f"/vsicurl/{url}/crs"}}}).encode(),
         "GeoJSON"),
        ("vsicurl-path-as-geojson", "zones.geojson", f"/vsicurl/{url}/path.geojson".encode(), "GeoJSON"),
        ("kml-networklink", "zones.kml",
         KML.format(f"<NetworkLink><Link><href>{url}/nl.kml</href></Link></NetworkLink>").encode(), "KML"),
        ("kml-external-entity", "zones.kml", (f'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "{url}/xxe">]>'
                                              + KML.split("?>", 1)[1].replace("<Document>", "<Document>&x;"))
         .encode(), "KML"),
    ]


def _upload(base, token, name, data, target="zones"):
    fields = {"agency": "AUT", "target": target, "plan": str(token["plan"])}
    return attack.send(base, "POST", "/api/layers/uploads", files={"file": (name, data)}, data=fields,
                       headers=token["headers"])


def _check_refused(answer, words, listener):
    status, content_type, body = answer
    time.sleep(0.3)  # let a request the server might have sent reach the listener
    assert listener.hits == [], listener.hits
    assert 400 <= status < 500 and content_type.startswith("application/json"), (status, body[:300])
    description = json.loads(body)["description"]
    assert words in description and b"root:x:0:0" not in body, description
    return description


@pytest.mark.parametrize("label", [p[0] for p in payloads("http://x")])
def test_no_payload_reaches_the_network_or_the_disk(label, live_server_url, staff_token, listener, autocommit_db):
    _label, name, data, words = next(p for p in payloads(listener.url) if p[0] == label)
    note_words, layer_words = words if isinstance(words, tuple) else (words, words)
    uploads_before = LayerUpload.objects.count()
    attack.reset_rate_limits()
    note = attack.send(live_server_url, "POST", "/api/notes", files={"file": (name, data)})
    _check_refused(note, "GeoJSON" if name.endswith((".gpkg", ".tif")) else note_words, listener)
    target = "sheet" if name.endswith(".tif") else "zones"
    _check_refused(_upload(live_server_url, staff_token, name, data, target), layer_words, listener)
    assert LayerUpload.objects.count() == uploads_before


def test_a_vrt_reading_etc_passwd_never_shows_it_and_tells_nothing_of_paths(live_server_url, staff_token,
                                                                           listener, autocommit_db):
    answers = [_check_refused(_upload(live_server_url, staff_token, "zones.kml", attack.ogr_vrt(f"CSV:{path}")),
                              "KML", listener) for path in ("/etc/passwd", "/no/such/file")]
    assert answers[0] == answers[1]  # an existing file and a missing one get the same words
    sheets = [_check_refused(_upload(live_server_url, staff_token, "p.tif", attack.raster_vrt(path), "sheet"),
                             "GeoTIFF", listener) for path in ("/etc/passwd", "/no/such/file")]
    assert sheets[0] == sheets[1]


def test_a_networklink_deep_in_a_zipped_kml_fails_the_import_job(live_server_url, staff_token, listener,
                                                                autocommit_db):
    """Past the first bytes read in the request, the import job reads the whole entry before GDAL does."""
    padding = "<!-- " + "x" * 20_000 + " -->"
    kml = KML.format(padding + f"<NetworkLink><Link><href>{listener.url}/deep.kml</href></Link></NetworkLink>")
    status, _type, body = _upload(live_server_url, staff_token, "zones.zip", attack.zipped({"zones.kml": kml}))
    assert status == 202, body
    upload = LayerUpload.objects.get(pk=json.loads(body)["id"])
    try:
        assert upload.layers == []  # not expanded in the request
        get_queue("default").remove(upload.job_id)
        with pytest.raises(InvalidParameter, match="NetworkLink"):
            jobs.run(upload.pk, jobs.IMPORT, None, {})  # what the worker runs
        upload.refresh_from_db()
        assert upload.job_status == "failed" and "NetworkLink" in upload.error, upload.error
        assert listener.hits == []
    finally:
        with dbroles.as_owner(connection):  # the app role may not delete audit entries
            AuditEntry.objects.filter(upload=upload).delete()
        uploads.discard(upload)


def test_every_gdal_of_the_process_is_guarded(live_server_url, listener, tmp_path):
    import requests

    served = requests.get(f"{live_server_url}/healthz", timeout=30).json()["gdal_guard"]
    assert served["guarded"] and served["network"] == "refused" and served["libraries"] >= 3, served
    for lib in gdal_guard.status():
        assert lib["guarded"] and set(lib["drivers"]) <= set(gdal_guard.ALLOWED_DRIVERS), lib
        assert "VRT" not in lib["drivers"] and lib["config"]["GDAL_PAM_ENABLED"] == "NO"
    # Defence in depth, below the sniffing: GDAL itself opens no VRT and reaches no URL in this process.
    (tmp_path / "a.vrt").write_bytes(attack.ogr_vrt("/etc/passwd"))
    crs_link = {"type": "FeatureCollection", "features": [], "crs": {"type": "link",
                                                                    "properties": {"href": f"{listener.url}/c"}}}
    attempts = [lambda: pyogrio.read_info(tmp_path / "a.vrt"),
                lambda: pyogrio.raw.read(io.BytesIO(json.dumps(crs_link).encode())),
                lambda: pyogrio.read_info(f"/vsicurl/{listener.url}/a.geojson"),
                lambda: pyogrio.read_info(f"/vsicurl_streaming/{listener.url}/b.geojson"),
                lambda: rasterio.open(f"/vsicurl/{listener.url}/c.tif"),
                lambda: __import__("django.contrib.gis.gdal", fromlist=["x"]).DataSource(
                    f"/vsicurl_streaming/{listener.url}/d.geojson")]
    for attempt in attempts:
        try:
            attempt()
        except Exception:  # noqa: BLE001 - refusing is the point; which error does not matter
            pass
    time.sleep(0.3)
    assert listener.hits == []
    # The control: the same GDAL without the guard (a bare interpreter) does reach the listener.
    subprocess.run([sys.executable, "-c", f"import pyogrio\ntry: pyogrio.read_info('/vsicurl/{listener.url}/control')"
                                          "\nexcept Exception: pass"], timeout=60, check=True)
    assert any("/control" in hit for hit in listener.hits), listener.hits
