"""Hostile inputs on every public endpoint of the live server (gunicorn, DEBUG=0): each is a 4xx, with a JSON
message on /api/ and /ogc/ (an HTML page elsewhere), and no table of the public schema changes its row count.

The cases are a table; test_every_public_route_is_attacked checks, from the URL confs, that every public
route has at least one.
"""
import json

import pytest
from django.urls import Resolver404, URLResolver, get_resolver, resolve

from . import attack

MIB = 2**20
NUL = "\x00"
BIG = "99999999999999999999"  # beyond bigint
SQUARE = [[503100, 554100], [503140, 554100], [503140, 554130], [503100, 554130], [503100, 554100]]
CASES = []


def case(name, method, path, status, staff=False, lazy=None, **request):
    CASES.append(pytest.param(method, path, status, staff, lazy, request, id=name))


def lambert(body):
    return {"crs": "EPSG:26191", **body}


def polygon(ring, **extra):
    return {"type": "Polygon", "coordinates": [ring], **extra}


def _corrupt_shx_zip():
    import pyogrio
    import shapely

    with __import__("tempfile").TemporaryDirectory() as folder:
        path = f"{folder}/p.shp"
        pyogrio.raw.write(path, shapely.to_wkb([shapely.Polygon(SQUARE)]), [], [], geometry_type="Polygon",
                          crs="EPSG:26191", driver="ESRI Shapefile")
        parts = {f"p.{s}": open(f"{folder}/p.{s}", "rb").read() for s in ("shp", "dbf", "prj")}
    shx = bytearray(open(__file__, "rb").read()[:100])
    shx[:4] = b"\x00\x00\x27\x0a"  # a shapefile index header, then nonsense offsets
    return {"files": {"file": ("p.zip", attack.zipped({**parts, "p.shx": bytes(shx) + b"\xff" * 400}))}}


def _huge_tiff(token):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        data = attack.huge_sparse_geotiff(Path(folder) / "planche.tif")
    assert len(data) < 64 * 1024
    return {"files": {"file": ("planche.tif", data)}, "data": {"agency": "AUT", "target": "sheet",
                                                            "plan": str(token["plan"])}}


# ---- POST /api/notes (anonymous): NaN, Infinity, 3D, Circle, nesting, files, NUL, sizes, vertices, shapes
NOTES = "/api/notes"
case("note-nan-literal", "POST", NOTES, 400, raw=b'{"coordinates": [[NaN, 1], [2, 3], [4, 5]], "crs": "EPSG:26191"}')
case("note-infinity-literal", "POST", NOTES, 400,
     raw=b'{"geometry": {"type": "Polygon", "coordinates": [[[Infinity, 35], [1, 35], [1, 36], [Infinity, 35]]]}}')
case("note-nan-typed", "POST", NOTES, 400, json_body=lambert({"coordinates": "nan nan\n503100 554100\n503140 554130"}))
case("note-overflow-float", "POST", NOTES, 400, raw=b'{"coordinates": [[1e999, 1], [2, 3], [4, 5]]}')
case("note-3d-outline", "POST", NOTES, 400, json_body=lambert({"geometry": polygon([p + [12.5] for p in SQUARE])}))
case("note-circle", "POST", NOTES, 400, json_body={"geometry": {"type": "Circle", "coordinates": [-5.36, 35.58],
                                                               "radius": 100}})
case("note-deep-json", "POST", NOTES, 400, raw=b"[" * 100_000 + b"]" * 100_000)
case("note-deep-geometry", "POST", NOTES, 400,
     json_body={"geometry": {"type": "Polygon", "coordinates": json.loads("[" * 40 + "1" + "]" * 40)}})
case("note-deep-geometry-form", "POST", NOTES, 400, data={"geometry": "[" * 50_000})
case("note-geometry-type-number", "POST", NOTES, 400, json_body={"geometry": {"type": 7, "coordinates": []}})
case("note-coordinates-object", "POST", NOTES, 400, json_body={"coordinates": {"x": 1}, "crs": "EPSG:26191"})
case("note-feature-without-geometry", "POST", NOTES, 400, json_body={"geometry": {"type": "Feature", "geometry": None}})
case("note-corrupt-shx", "POST", NOTES, 400, lazy=lambda token: _corrupt_shx_zip())
case("note-garbage-dxf", "POST", NOTES, 400, files={"file": ("p.dxf", b"\x00\xff garbage \x01" * 200)})
case("note-broken-dxf", "POST", NOTES, 400, files={"file": ("p.dxf", b"  0\nSECTION\n  2\nENTITIES\n  0\nLWPOLYLINE\n"
                                                                   b" 90\nnot-a-number\n 10\n")})
case("note-xml-as-geojson", "POST", NOTES, 400, files={"file": ("p.geojson", b"<?xml version='1.0'?><gml/>")})
case("note-nul-title", "POST", NOTES, 400, json_body={"title_number": "TF 10001/19" + NUL})
case("note-nul-form-field", "POST", NOTES, 400, data={"title_number": "TF 10001/19", "agency": "AUT" + NUL})
case("note-json-over-limit", "POST", NOTES, 413, raw=json.dumps({"coordinates": "1 2\n" * 800_000}).encode())
case("note-400-mib-upload", "POST", NOTES, 413, declared_length=400 * MIB, content_type="multipart/form-data; b=x")
case("note-6-mib-file", "POST", NOTES, 413, files={"file": ("p.geojson", b"{" + b" " * (6 * MIB) + b"}")})
case("note-vertex-cap", "POST", NOTES, 413,
     json_body=lambert({"coordinates": [[503100 + i * 0.001, 554100 + (i % 2)] for i in range(10_001)]}))
case("note-hole-outside-shell", "POST", NOTES, 400, json_body=lambert({"geometry": {"type": "Polygon", "coordinates": [
    [[503100, 554100], [503122, 554100], [503122, 554120], [503100, 554120], [503100, 554100]],
    [[503300, 554300], [503600, 554300], [503600, 554630], [503300, 554630], [503300, 554300]]]}}))
case("note-number-nul", "GET", "/api/notes/AUT-2026-%00", 400)
case("note-number-huge", "GET", "/api/notes/" + "9" * 3000, 404)
case("note-verify-nul", "GET", "/api/notes/%00/verify", 400)
case("note-verify-25-mib-pdf", "POST", "/api/notes/AUT-2026-000001/verify", 413, declared_length=25 * MIB,
     content_type="multipart/form-data; boundary=x")

# ---- the web map's API
case("place-nan", "GET", "/api/place", 400, params={"lon": "NaN", "lat": "35.58"})
case("place-infinity", "GET", "/api/place", 400, params={"lon": "-inf", "lat": "35.58"})
case("place-lambert-overflow", "GET", "/api/place", 400, params={"x": "1e400", "y": "554100", "crs": "EPSG:26191"})
case("place-crs-huge", "GET", "/api/place", 400, params={"x": "1", "y": "2", "crs": "EPSG:" + BIG})
case("place-parcel-nul", "GET", "/api/place", 400, params={"parcel": "TF 10001/19" + NUL})
case("place-date-nul", "GET", "/api/place", 400, params={"lon": "-5.36", "lat": "35.58", "date": "2024" + NUL})
case("search-nul", "GET", "/api/search", 400, params={"q": "Tétouan" + NUL})
case("plans-bad-date", "GET", "/api/plans", 400, params={"date": "2024-13-45"})
case("territories-nul", "GET", "/api/territories", 400, params={"f": NUL})
case("openapi-nul", "GET", "/api/openapi.json", 400, params={"f": "json" + NUL})

# ---- /api/extracts
EXTRACTS = "/api/extracts"
case("extract-polygon-of-strings", "POST", EXTRACTS, 400, json_body={"format": "geojson", "polygon": polygon(
    [["a", "b"], ["c", "d"], ["e", "f"], ["a", "b"]])})
case("extract-circle", "POST", EXTRACTS, 400, json_body={"format": "geojson", "polygon": {"type": "Circle",
                                                                                       "coordinates": [1, 2]}})
case("extract-wkt-nan", "GET", EXTRACTS, 400, params={"format": "geojson",
                                                      "polygon": "POLYGON((-5.4 35, nan 35, -5.3 36, -5.4 35))"})
case("extract-3d", "POST", EXTRACTS, 400, json_body={"format": "geojson", "polygon": polygon(
    [[-5.36, 35.58, 1], [-5.35, 35.58, 1], [-5.35, 35.59, 1], [-5.36, 35.58, 1]])})
case("extract-bbox-words", "GET", EXTRACTS, 400, params={"format": "gpkg", "bbox": "a,b,c,d"})
case("extract-bbox-nan", "GET", EXTRACTS, 400, params={"format": "gpkg", "bbox": "nan,35.5,-5.3,35.6"})
case("extract-margin-nan", "GET", EXTRACTS, 400, params={"format": "gpkg", "parcel": "TF 10001/19", "margin": "nan"})
case("extract-scale-huge", "GET", EXTRACTS, 400, params={"format": "pdf", "parcel": "TF 10001/19", "scale": BIG})
case("extract-deep-json", "POST", EXTRACTS, 400, raw=b'{"format": "gpkg", "polygon": ' + b"[" * 5000 + b"]" * 5000 + b"}")
case("extract-nul-json", "POST", EXTRACTS, 400, json_body={"format": "gpkg", "parcel": "TF 10001/19\u0000"})
case("extract-over-limit", "POST", EXTRACTS, 413, declared_length=30 * MIB, content_type="application/json")
case("extract-format-nul", "GET", EXTRACTS, 400, params={"format": NUL, "parcel": "TF 10001/19"})
case("extract-status-unknown", "GET", "/api/extracts/8b0e2c1e-9d7b-4a49-a8a5-2d3c6b2a9f11", 404)
case("extract-status-not-uuid", "GET", "/api/extracts/%00", 400)
case("extract-download-unknown", "GET", "/api/extracts/8b0e2c1e-9d7b-4a49-a8a5-2d3c6b2a9f11/download", 404)
case("extract-retry-unknown", "POST", "/api/extracts/8b0e2c1e-9d7b-4a49-a8a5-2d3c6b2a9f11/retry", 404)
case("extract-retry-over-limit", "POST", "/api/extracts/8b0e2c1e-9d7b-4a49-a8a5-2d3c6b2a9f11/retry", 413,
     declared_length=30 * MIB, content_type="application/json")

# ---- e-services API
COMPLAINTS = "/api/services/complaints"
case("complaint-nul-text", "POST", COMPLAINTS, 400, data={"agency": "AUT", "kind": "reclamation", "category": "autre",
                                                          "subject": "x", "text": "bonjour" + NUL})
case("complaint-nan-place", "POST", COMPLAINTS, 400, data={"agency": "AUT", "lon": "nan", "lat": "nan", "subject": "x",
                                                           "text": "texte"})
case("complaint-100-mib", "POST", COMPLAINTS, 413, declared_length=100 * MIB, content_type="multipart/form-data; b=x")
case("complaint-delays-nul", "GET", COMPLAINTS + "/delays", 400, params={"agency": "AUT" + NUL})
case("complaint-number-nul", "GET", COMPLAINTS + "/REQ-AUT-%00", 400, params={"secret": "x"})
case("complaint-secret-nul", "GET", COMPLAINTS + "/REQ-AUT-2026-00001", 400, params={"secret": NUL})
case("complaint-secret-in-query", "GET", COMPLAINTS + "/REQ-AUT-2026-00001", 400, params={"secret": "x"})
case("complaint-number-slash", "GET", COMPLAINTS + "/REQ-AUT-2026%2F00001", 404)
case("complaint-attachment-huge-id", "GET", COMPLAINTS + f"/REQ-AUT-2026-00001/attachments/{BIG}", 400)
case("complaint-attachment-nul", "GET", COMPLAINTS + "/REQ-AUT-%00/attachments/1", 400)
case("complaint-attachment-not-a-number", "GET", COMPLAINTS + "/REQ-%27OR%271/attachments/1", 400,
     headers={"X-Tracking-Secret": "x"})
case("permit-file-nul", "GET", "/api/services/permits/files/%00", 400)
case("permit-sessions-nul", "GET", "/api/services/permits/sessions", 400, params={"agency": NUL})
case("permit-session-nul", "GET", "/api/services/permits/sessions/AUT/%00", 400)
case("documents-nul", "GET", "/api/services/documents", 400, params={"q": "loi" + NUL})
case("documents-long-query", "GET", "/api/services/documents", 400, params={"q": "loi " * 200})
case("document-huge-id", "GET", "/api/services/documents/" + BIG, 404)
case("fees-schedule-nul", "GET", "/api/services/fees/schedule", 400, params={"agency": NUL})
case("invoice-nul-subject", "POST", "/api/services/fees/invoices", 400, data={"agency": "AUT", "service_code": "note",
                                                                              "subject": "TF" + NUL})
case("invoice-reference-nul", "GET", "/api/services/fees/invoices/%00", 400)
case("invoice-pay-nul", "POST", "/api/services/fees/invoices/%00/pay", 400)
case("fee-callback-nul", "POST", "/api/services/fees/callback/sandbox", 400, data={"provider_ref": NUL})

# ---- layer publishing API (staff token)
LAYERS = "/api/layers"
case("layers-uploads-nul", "GET", LAYERS + "/uploads", 400, staff=True, params={"agency": NUL})
case("layers-upload-huge-id", "GET", LAYERS + "/uploads/" + BIG, 404, staff=True)
case("layers-upload-vrt-gpkg", "POST", LAYERS + "/uploads", 400, staff=True, lazy=lambda token: {
    "files": {"file": ("zones.gpkg", attack.ogr_vrt("/etc/passwd"))},
    "data": {"agency": "AUT", "target": "zones", "plan": str(token["plan"])}})
case("layers-upload-2-gib", "POST", LAYERS + "/uploads", 413, staff=True, declared_length=2 * 1024 * MIB,
     content_type="multipart/form-data; boundary=x")
case("layers-upload-anonymous-100-mib", "POST", LAYERS + "/uploads", 413, declared_length=100 * MIB,
     content_type="multipart/form-data; boundary=x")
case("layers-sheet-30000-px", "POST", LAYERS + "/uploads", 413, staff=True, lazy=_huge_tiff)
case("layers-mapping-huge-id", "POST", LAYERS + f"/uploads/{BIG}/mapping", 404, staff=True, json_body={"mapping": {}})
case("layers-report-huge-id", "GET", LAYERS + f"/uploads/{BIG}/report", 404, staff=True)
case("layers-features-huge-id", "GET", LAYERS + f"/uploads/{BIG}/features.geojson", 404, staff=True)
case("layers-publish-huge-id", "POST", LAYERS + f"/uploads/{BIG}/publish", 404, staff=True, json_body={})
case("layers-versions-huge-id", "GET", LAYERS + f"/plans/{BIG}/versions", 404, staff=True)
case("layers-rollback-huge-revision", "POST", LAYERS + "/plans/{plan}/rollback", 404, staff=True,
     json_body={"revision": BIG})
case("layers-releases-nul", "GET", LAYERS + "/parcels/%00/releases", 400, staff=True)
case("layers-restore-huge-release", "POST", LAYERS + "/parcels/AUT/restore", 404, staff=True,
     json_body={"release": int(BIG)})
case("layers-audit-nul", "GET", LAYERS + "/audit", 400, staff=True, params={"agency": NUL})
case("layers-sheets-huge-plan", "GET", LAYERS + f"/plans/{BIG}/sheets", 404)
case("layers-tile-huge-sheet", "GET", LAYERS + f"/sheets/{BIG}/tiles/1/0/0.png", 404)
case("layers-tile-huge-zoom", "GET", LAYERS + f"/sheets/1/tiles/{BIG}/0/0.png", 404)

# ---- OGC API
ITEMS = "/ogc/collections/zones/items"
case("ogc-filter-id-beyond-bigint", "GET", ITEMS, 400, params={"filter": f"id = {BIG}"})
case("ogc-filter-beyond-bigint", "GET", ITEMS, 400, params={"filter": f"max_floors = {BIG}"})
case("ogc-filter-beyond-smallint", "GET", ITEMS, 400, params={"filter": "max_floors = 40000"})
case("ogc-filter-float-beyond-smallint", "GET", ITEMS, 400, params={"filter": "max_floors < 1e30"})
case("ogc-filter-in-beyond-integer", "GET", ITEMS, 400, params={"filter": "min_lot_area_m2 IN (1, 3000000000)"})
case("ogc-offset-beyond-bigint", "GET", ITEMS, 400, params={"offset": BIG})
case("ogc-limit-huge", "GET", ITEMS, 400, params={"limit": BIG})
case("ogc-item-id-beyond-bigint", "GET", ITEMS + "/" + BIG, 404)
case("ogc-item-id-negative-huge", "GET", ITEMS + "/-" + BIG, 404)
case("ogc-cql2-json-bbox-words", "GET", ITEMS, 400, params={"filter-lang": "cql2-json", "filter": json.dumps(
    {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": ["a", "b", "c", "d"]}]})})
case("ogc-cql2-json-deep", "GET", ITEMS, 400, params={"filter-lang": "cql2-json",
                                                      "filter": '{"op":"not","args":[' * 60 + "]}" * 60})
case("ogc-cql2-text-deep", "GET", ITEMS, 400, params={"filter": "id=1" + " OR id=1" * 150})
case("ogc-cql2-json-circle", "GET", ITEMS, 400, params={"filter-lang": "cql2-json", "filter": json.dumps(
    {"op": "s_intersects", "args": [{"property": "geometry"}, {"type": "Circle", "coordinates": [-5.36, 35.58]}]})})
case("ogc-cql2-json-polygon-of-strings", "GET", ITEMS, 400, params={"filter-lang": "cql2-json", "filter": json.dumps(
    {"op": "s_intersects", "args": [{"property": "geometry"}, polygon([["a", "b"], ["c", "d"], ["a", "b"]])]})})
case("ogc-property-nul", "GET", ITEMS, 400, params={"code": "B3" + NUL})
case("ogc-filter-nul", "GET", ITEMS, 400, params={"filter": "code = 'B3\x00'"})
case("ogc-bbox-nan", "GET", ITEMS, 400, params={"bbox": "nan,nan,nan,nan"})
case("ogc-crs-nul", "GET", ITEMS, 400, params={"crs": NUL})
case("ogc-tile-huge-zoom", "GET", f"/ogc/collections/zones/tiles/WebMercatorQuad/{BIG}/0/0", 400)
case("ogc-unknown-collection", "GET", "/ogc/collections/nope/items", 404)
case("ogc-queryables-nul", "GET", "/ogc/collections/zones/queryables", 400, params={"f": NUL})
case("ogc-schema-nul", "GET", "/ogc/collections/zones/schema", 400, params={"f": NUL})
case("ogc-collection-nul", "GET", "/ogc/collections/zones", 400, params={"f": NUL})
case("ogc-collections-nul", "GET", "/ogc/collections", 400, params={"f": NUL})
case("ogc-tilesets-nul", "GET", "/ogc/collections/zones/tiles", 400, params={"f": NUL})
case("ogc-tileset-nul", "GET", "/ogc/collections/zones/tiles/%00", 400)
case("ogc-tileset-metadata-nul", "GET", "/ogc/collections/zones/tiles/WebMercatorQuad/metadata", 400, params={"f": NUL})
case("ogc-tms-nul", "GET", "/ogc/TileMatrixSets/%00", 400)
case("ogc-tms-list-nul", "GET", "/ogc/TileMatrixSets", 400, params={"f": NUL})
case("ogc-landing-nul", "GET", "/ogc/", 400, params={"f": NUL})
case("ogc-landing-no-slash-nul", "GET", "/ogc", 400, params={"f": NUL})
case("ogc-openapi-nul", "GET", "/ogc/openapi", 400, params={"f": NUL})
case("ogc-conformance-nul", "GET", "/ogc/conformance", 400, params={"f": NUL})
case("ogc-static-nul", "GET", "/ogc/static/%00", 400)
case("ogc-unknown-path", "GET", "/ogc/nope/%00", 400)

# ---- pages (an HTML 4xx page is a fine answer)
case("page-home-nul", "GET", "/", 400, params={"lang": NUL})
case("page-map-nul", "GET", "/carte/", 400, params={"lang": NUL})
case("page-map-agency-nul", "GET", "/carte/", 400, params={"agency": "AUT" + NUL})
case("page-open-data-nul", "GET", "/donnees/", 400, params={"x": NUL})
case("page-agency-entry-nul", "GET", "/a/AUT%00/", 400)
case("page-agency-entry-huge", "GET", "/a/" + "A" * 3000 + "/", 404)
case("favicon-nul", "GET", "/favicon.ico", 400, params={"x": NUL})
case("vocabulary-css-nul", "GET", "/site/vocabulary.css", 400, params={"x": NUL})
case("measure-nan", "GET", "/api/measure", 400, params={"kind": "line", "points": "NaN,35;-5,35"})
case("measure-too-many", "GET", "/api/measure", 400, params={"kind": "line", "points": ";".join(["-5.3,35.5"] * 151)})
case("measure-nul", "GET", "/api/measure", 400, params={"kind": "area" + NUL, "points": "-5.3,35.5;-5.2,35.5;-5.2,35.6"})
case("page-parcel-nul", "GET", "/parcel/TF%2010001%00", 400)
case("page-embed-plan-huge", "GET", f"/embed/plan/{BIG}", 404)
case("page-embed-parcel-nul", "GET", "/embed/parcel/%00", 400)
case("page-extract-form-nul", "GET", "/extraits", 400, params={"parcel": NUL})
case("page-note-form-vrt", "POST", "/notes/new", 400, csrf_page="/notes/new",
     files={"file": ("p.kml", attack.ogr_vrt("/etc/passwd"))})
case("page-note-form-400-mib", "POST", "/notes/new", 413, declared_length=400 * MIB,
     content_type="multipart/form-data; boundary=x")
case("page-note-nul", "GET", "/notes/%00", 400)
case("page-note-pdf-nul", "GET", "/notes/%00.pdf", 400)
case("page-verify-nul", "GET", "/verify/%00", 400)
case("page-verify-25-mib", "POST", "/verify/AUT-2026-000001", 413, declared_length=25 * MIB,
     content_type="multipart/form-data; boundary=x")
case("page-services-nul", "GET", "/services/", 400, params={"lang": NUL})
case("page-complaint-nul", "POST", "/services/requetes/nouvelle/", 400, data={"agency": "AUT", "text": NUL})
case("page-complaint-100-mib", "POST", "/services/requetes/nouvelle/", 413, declared_length=100 * MIB,
     content_type="multipart/form-data; boundary=x")
case("page-track-form-nul", "GET", "/services/requetes/suivi/", 400, params={"number": NUL, "secret": NUL})
case("page-delays-nul", "GET", "/services/requetes/delais/", 400, params={"agency": NUL})
case("page-permit-file-nul", "GET", "/services/dossiers/", 400, params={"number": "PC" + NUL})
case("page-sessions-nul", "GET", "/services/commissions/", 400, params={"agency": NUL})
case("page-session-nul", "GET", "/services/commissions/AUT/%00/", 400)
case("page-documents-nul", "GET", "/services/documents/", 400, params={"q": NUL})
case("page-document-huge", "GET", f"/services/documents/{BIG}/", 404)
case("page-document-download-huge", "GET", f"/services/documents/{BIG}/telecharger", 404)
case("page-tariffs-nul", "GET", "/services/tarifs/", 400, params={"agency": NUL})
case("page-invoice-new-nul", "POST", "/services/factures/nouvelle/", 400, data={"agency": "AUT", "subject": NUL})
case("page-invoice-nul", "GET", "/services/factures/%00/", 400)
case("page-sandbox-nul", "GET", "/services/paiement/sandbox/%00/", 400)
case("page-layers-nul", "GET", "/layers/", 400, params={"x": NUL})
case("page-layers-upload-huge", "GET", f"/layers/uploads/{BIG}/", 400, params={"x": NUL})
case("page-layers-report-nul", "GET", "/layers/uploads/1/report", 400, params={"x": NUL})
case("page-layers-rollback-nul", "GET", "/layers/plans/1/rollback", 400, params={"x": NUL})
case("page-layers-restore-nul", "GET", "/layers/parcels/%00/restore", 400)
case("page-lifecycle-plans-nul", "GET", "/staff/plans/", 400, params={"x": NUL})
case("page-lifecycle-plan-huge", "GET", f"/staff/plans/{BIG}/", 400, params={"x": NUL})
case("page-lifecycle-perimeter-nul", "GET", "/staff/plans/1/perimeter", 400, params={"x": NUL})
case("page-lifecycle-attach-nul", "GET", "/staff/plans/1/attachments", 400, params={"x": NUL})
case("page-lifecycle-status-nul", "GET", "/staff/plans/1/status", 400, params={"x": NUL})
case("page-lifecycle-agency-nul", "GET", "/staff/agencies/new", 400, params={"x": NUL})
case("healthz-nul", "GET", "/healthz", 400, params={"x": NUL})

# ---- the public inquiry: the register exported and verified, the receipt page
case("register-issue-huge-plan", "POST", f"/api/inquiries/{BIG}/register", 404, staff=True)
case("register-pdf-unknown", "GET", "/api/registers/REG-AUT-1-999.pdf", 404, staff=True)
case("register-csv-nul", "GET", "/api/registers/REG-%00.csv", 400, staff=True)
case("register-gpkg-long", "GET", "/api/registers/" + "R" * 3000 + ".gpkg", 404, staff=True)
case("register-verify-unknown", "GET", "/enquete/registres/REG-AUT-1-999/verifier", 404)
case("watch-nul-email", "POST", "/api/watches", 400, data={"email": "a@example.ma" + NUL, "parcels": "TF 10001/19"})
case("watch-deep-area", "POST", "/api/watches", 400, json_body={"email": "a@example.ma", "area": "[" * 50_000})
case("watch-confirm-forged", "GET", "/enquete/veille/confirmer/1:forged:sig", 400)
case("watch-unsubscribe-forged", "POST", "/enquete/veille/desinscrire/%27OR%271", 400)
# ---- the public inquiry opened and closed by the agency's GIS staff (plans.inquiry.opening)
OPEN = "/api/inquiries/{draft}/open"
GOOD_OPEN = {"start": "2999-01-01", "end": "2999-01-20", "communes": ["TET-01"], "paper_file_fr": "Agence",
             "paper_file_ar": "الوكالة"}
case("inquiry-open-get", "GET", OPEN, 405, staff=True)
case("inquiry-open-anonymous", "POST", OPEN, 401, csrf_page="/notes/new", data=GOOD_OPEN)
case("inquiry-open-forged-token", "POST", OPEN, 401, json_body=GOOD_OPEN, headers={"Authorization": "Token forged"})
case("inquiry-open-bad-date", "POST", OPEN, 400, staff=True, json_body={**GOOD_OPEN, "start": "2999-02-30"})
case("inquiry-open-date-number", "POST", OPEN, 400, staff=True, json_body={**GOOD_OPEN, "end": 29990120})
case("inquiry-open-end-before", "POST", OPEN, 400, staff=True, json_body={**GOOD_OPEN, "end": "2998-12-31"})
case("inquiry-open-past", "POST", OPEN, 400, staff=True,
     json_body={**GOOD_OPEN, "start": "2001-01-01", "end": "2001-01-20"})
case("inquiry-open-too-long", "POST", OPEN, 400, staff=True, json_body={**GOOD_OPEN, "end": "2999-12-31"})
case("inquiry-open-huge-text", "POST", OPEN, 400, staff=True, json_body={**GOOD_OPEN, "paper_file_fr": "x" * 200_000})
case("inquiry-open-nul", "POST", OPEN, 400, staff=True, json_body={**GOOD_OPEN, "paper_file_ar": "a" + NUL})
case("inquiry-open-communes-type", "POST", OPEN, 400, staff=True, json_body={**GOOD_OPEN, "communes": [[1]]})
case("inquiry-open-communes-sql", "POST", OPEN, 400, staff=True,
     json_body={**GOOD_OPEN, "communes": ["' OR 1=1 --"]})
case("inquiry-open-in-force", "POST", "/api/inquiries/{plan}/open", 409, staff=True, json_body=GOOD_OPEN)
case("inquiry-open-huge-plan", "POST", f"/api/inquiries/{BIG}/open", 404, staff=True, json_body=GOOD_OPEN)
case("inquiry-open-deep", "POST", OPEN, 400, staff=True, raw=b"[" * 100_000 + b"]" * 100_000)
case("inquiry-close-get", "GET", "/api/inquiries/{draft}/close", 405, staff=True)
case("inquiry-close-anonymous", "POST", "/api/inquiries/{draft}/close", 401, csrf_page="/notes/new")
case("inquiry-close-forged-token", "POST", "/api/inquiries/{draft}/close", 401,
     headers={"Authorization": "Token forged"})
case("inquiry-close-in-force", "POST", "/api/inquiries/{plan}/close", 409, staff=True)
case("inquiry-counts-huge", "GET", f"/api/inquiries/{BIG}/counts", 404, staff=True)
case("inquiry-staff-map-huge", "GET", f"/api/inquiries/{BIG}/observations.geojson", 404, staff=True)
case("inquiry-staff-map-anonymous", "GET", "/api/inquiries/{draft}/observations.geojson", 401)
case("inquiry-staff-map-post", "POST", "/api/inquiries/{draft}/observations.geojson", 405, staff=True)
case("page-staff-inquiries-nul", "GET", "/staff/inquiries/", 400, params={"lang": NUL})
case("observation-page-sql", "GET", "/enquete/observations/OBS-%27OR%271/", 400)
# ---- the public inquiry: what a draft changes, the register of observations
case("changes-parcel-nul", "GET", "/api/changes", 400, params={"parcel": "TF 10001/19" + NUL})
case("changes-area-strings", "GET", "/api/changes", 400,
     params={"area": json.dumps(polygon([["a", "b"], ["c", "d"], ["a", "b"]]))})
case("changes-version-huge", "GET", "/api/changes", 404, params={"parcel": "TF 10001/19", "from": BIG})
case("inquiries-nul", "GET", "/api/inquiries", 400, params={"agency": NUL})
case("inquiry-map-paper-nul", "GET", "/api/inquiries/{draft}/map.svg", 400, params={"paper": NUL})
case("inquiry-map-huge", "GET", f"/api/inquiries/{BIG}/map.svg", 404)
case("observation-file-nan", "POST", "/api/inquiries/{draft}/observations", 400,
     raw=b'{"text": "x", "geometry": {"type": "Point", "coordinates": [NaN, 35]}}')
case("observation-file-nul", "POST", "/api/inquiries/{draft}/observations", 400, json_body={"text": "avis" + NUL})
case("observation-file-deep", "POST", "/api/inquiries/{draft}/observations", 400,
     raw=b"[" * 100_000 + b"]" * 100_000)
case("observation-groups-nul", "GET", "/api/inquiries/{draft}/groups", 400, params={"x": NUL})
case("observation-group-answer-nul", "POST", f"/api/inquiries/groups/{BIG}/answer", 400, params={"x": NUL})
case("observation-nul", "GET", "/api/observations/%00", 400)
case("observation-public-nul", "GET", "/api/observations/OBS%00/public", 400)
case("observation-cosign-nul", "POST", "/api/observations/OBS%00/cosign", 400, json_body={"name": NUL})
case("observation-moderate-nul", "POST", "/api/observations/OBS%00/moderate", 400)
case("observation-answer-nul", "POST", "/api/observations/OBS%00/answer", 400)

# ---- what can be built: the note's 3D envelope
case("note-3d-nul", "GET", "/notes/%00/3d", 400)
case("note-envelope-glb-nul", "GET", "/notes/AUT%00/envelope.glb", 400)
case("note-envelope-cityjson-nul", "GET", "/notes/AUT%00/envelope.city.json", 400)
case("envelope-titles-nul", "GET", "/api/envelope", 400, params={"titles": "TF 10001/19" + NUL})
case("envelope-titles-missing", "GET", "/api/envelope", 400, params={"titles": " , ;"})
case("envelope-titles-too-many", "GET", "/api/envelope", 400, params={"titles": ",".join(f"TF {n}/19" for n in range(21))})
case("envelope-titles-unknown", "GET", "/api/envelope", 404, params={"titles": "TF 99999999/19"})
case("envelope-titles-apart", "GET", "/api/envelope", 400, params={"titles": "TF 10001/19,TF 10300/19"})
case("envelope-date-nul", "GET", "/api/envelope", 400, params={"titles": "TF 10001/19", "date": "2024" + NUL})
# /ows (WMS/WFS through MapServer): MapServer's own instructions and malformed values never reach it.
case("ows-mapfile", "GET", "/ows", 400, params={"SERVICE": "WMS", "REQUEST": "GetCapabilities", "map": "/etc/passwd"})
case("ows-sld-url", "GET", "/ows", 400, params={"SERVICE": "WMS", "REQUEST": "GetMap", "SLD": "http://127.0.0.1/x"})
case("ows-nul", "GET", "/ows", 400, params={"SERVICE": "WFS", "REQUEST": "GetFeature", "TYPENAMES": NUL})
case("ows-date-sql", "GET", "/ows", 400, params={"SERVICE": "WFS", "REQUEST": "GetFeature", "TYPENAMES": "zones",
                                                  "date": "2020-01-01' OR 1=1 --"})
case("ows-post", "POST", "/ows", 405, data={"SERVICE": "WFS"})

# Routes not attacked here, and why.
NOT_HERE = {"eservices:complaint-track": "the tracking URL is being redesigned (issue 13, item 9)"}


@pytest.mark.parametrize("method, path, status, staff, lazy, request_", CASES)
def test_hostile_input_is_refused_and_changes_nothing(live_server_url, staff_token, autocommit_db, method, path,
                                                      status, staff, lazy, request_):
    request_ = {**request_, **(lazy(staff_token) if lazy else {})}
    if staff:
        request_["headers"] = {**request_.get("headers", {}), **staff_token["headers"]}
    attack.reset_rate_limits()
    before = attack.row_counts()
    path = path.format(plan=staff_token["plan"], draft=staff_token["draft"])
    got, content_type, body = attack.send(live_server_url, method, path, **request_)
    after = attack.row_counts()
    assert got == status, (got, body[:500])
    if path.startswith(("/api/", "/ogc/")):
        assert content_type.startswith("application/json"), (content_type, body[:300])
        message = json.loads(body)["description"]
        assert isinstance(message, str) and len(message) > 10, message
    assert b"Traceback" not in body and b"root:x:0:0" not in body
    assert {t: n for t, n in after.items() if before.get(t) != n} == {}, "rows changed"


def _routes(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            yield prefix + str(pattern.pattern), ":".join(n for n in (namespace, pattern.name) if n)


def test_every_public_route_is_attacked():
    public = {name for path, name in _routes(get_resolver().url_patterns)
              if not path.startswith(("admin/", "django-rq/"))}
    attacked = set()
    for param in CASES:
        try:
            attacked.add(resolve(param.values[1].replace("%00", "x").format(plan=1, draft=1)).view_name)
        except Resolver404:
            pass  # a path no route takes (e.g. not a UUID): its route has other cases
    assert public - attacked - set(NOT_HERE) == set()
    assert len(CASES) >= 60
