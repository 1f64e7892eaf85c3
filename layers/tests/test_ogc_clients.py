"""Black-box OGC API clients against the live server: OWSLib, GDAL's OAPIF driver, a vector tile decoder.

The oracle is the ORM (PlanDocument.objects.in_force(), Zone.objects.live()),
not the SQL views under test.
"""
import json
import re
import subprocess
import urllib.error
import urllib.request

import mapbox_vector_tile
import morecantile
import pytest
from owslib.ogcapi.features import Features

from plans.models import Parcel, PlanDocument, Servitude, Zone

pytestmark = pytest.mark.django_db
MERCATOR = morecantile.tms.get("WebMercatorQuad")


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def current_zones():
    return Zone.objects.live().filter(plan__in=PlanDocument.objects.in_force())


def test_owslib_lists_collections_and_pages_items(live_server_url):
    api = Features(f"{live_server_url}/ogc/")
    ids = {c["id"] for c in api.collections()["collections"]}
    assert {"zones", "servitudes", "roads", "equipment", "parcels", "plans", "agencies", "communes",
            "zones-history", "servitudes-history", "catalogue"} <= ids
    assert {"zones-inquiry", "servitudes-inquiry"} <= ids  # empty unless an inquiry is open (plans/inquiry/tests)

    expected = set(current_zones().values_list("id", flat=True))
    seen, offset = [], 0
    while True:
        page = api.collection_items("zones", limit=25, offset=offset)
        seen += [f["id"] for f in page["features"]]
        if not any(link["rel"] == "next" for link in page["links"]):
            break
        offset += 25
    assert len(seen) == len(set(seen)), "paging returned a feature twice"
    assert set(seen) == expected


def test_owslib_bbox_matches_the_database(live_server_url):
    parcel = Parcel.objects.order_by("id")[100]
    minx, miny, maxx, maxy = parcel.geom.buffer(0.001).extent
    api = Features(f"{live_server_url}/ogc/")
    page = api.collection_items("parcels", bbox=[minx, miny, maxx, maxy], limit=1000)
    from django.contrib.gis.geos import Polygon

    box = Polygon.from_bbox((minx, miny, maxx, maxy))
    box.srid = 4326
    expected = set(Parcel.objects.filter(geom__intersects=box).values_list("id", flat=True))
    assert parcel.id in expected
    assert {f["id"] for f in page["features"]} == expected
    feature = next(f for f in page["features"] if f["id"] == parcel.id)
    assert feature["properties"]["title_number"] == parcel.title_number


def test_gdal_oapif_reads_the_whole_collection(live_server_url):
    result = subprocess.run(["ogrinfo", "-ro", "-al", "-so", f"OAPIF:{live_server_url}/ogc/collections/zones"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    count = int(re.search(r"Feature Count: (\d+)", result.stdout).group(1))
    assert count == current_zones().count()
    assert "max_height_m" in result.stdout and "plan_reference" in result.stdout


def test_zone_feature_answers_what_can_i_build_here(live_server_url):
    zone = current_zones().select_related("rule", "plan", "plan__agency").first()
    status, headers, body = get(f"{live_server_url}/ogc/collections/zones/items/{zone.id}")
    assert status == 200 and headers["Content-Type"] == "application/geo+json"
    props = json.loads(body)["properties"]
    assert props["code"] == zone.code and props["label_fr"] == zone.rule.label_fr
    assert props["max_floors"] == zone.rule.max_floors and float(props["cos"]) == float(zone.rule.cos)
    assert props["plan_id"] == zone.plan_id and props["decree_reference"] == zone.plan.decree_reference
    assert props["effective_date"] == zone.plan.effective_date.isoformat()
    assert props["agency_code"] == zone.plan.agency.code


def test_tile_decodes_to_the_features_under_it(live_server_url):
    road = Servitude.objects.live().filter(plan__in=PlanDocument.objects.in_force(), kind="road").first()
    point = road.footprint.point_on_surface
    tile = MERCATOR.tile(point.x, point.y, 16)
    url = f"{live_server_url}/ogc/collections/roads/tiles/WebMercatorQuad/16/{tile.y}/{tile.x}?f=mvt"
    status, headers, body = get(url)
    assert status == 200 and headers["Content-Type"] == "application/vnd.mapbox-vector-tile"
    layer = mapbox_vector_tile.decode(body)["roads"]
    from django.contrib.gis.geos import Polygon

    bounds = MERCATOR.bounds(tile)
    box = Polygon.from_bbox((bounds.left, bounds.bottom, bounds.right, bounds.top))
    box.srid = 4326
    expected = set(Servitude.objects.live().filter(
        plan__in=PlanDocument.objects.in_force(), kind__in=("road", "planned_road", "road_widening"),
        footprint__intersects=box).values_list("id", flat=True))
    assert {f["id"] for f in layer["features"]} == expected
    decoded = next(f for f in layer["features"] if f["id"] == road.id)
    assert decoded["properties"]["code"] == road.code and decoded["properties"]["kind"] == "road"

    # Conditional request: same ETag → 304; caching headers present.
    assert "max-age" in headers["Cache-Control"]
    status, _, _ = get(url, {"If-None-Match": headers["ETag"]})
    assert status == 304


def test_parcel_tiles_start_at_zoom_15(live_server_url):
    parcel = Parcel.objects.order_by("id").first()
    point = parcel.geom.point_on_surface
    for z, present in ((14, False), (15, True), (22, True)):
        tile = MERCATOR.tile(point.x, point.y, z)
        status, _, body = get(f"{live_server_url}/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{tile.y}/{tile.x}")
        assert status == 200
        features = mapbox_vector_tile.decode(body).get("parcels", {"features": []})["features"]
        ids = {f["id"] for f in features}
        assert (parcel.id in ids) == present, f"z{z}"
        if present:
            titles = {f["properties"]["title_number"] for f in features}
            assert parcel.title_number in titles


def test_lambert_output_and_bbox_crs(live_server_url):
    zone = current_zones().filter(plan__agency__code="AUT").first()  # Tétouan: EPSG:26191
    base = f"{live_server_url}/ogc/collections/zones/items"
    status, headers, body = get(f"{base}/{zone.id}?crs=http://www.opengis.net/def/crs/EPSG/0/26191")
    assert status == 200
    assert headers["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/26191>"
    lambert = zone.geom.transform(26191, clone=True)
    x, y = json.loads(body)["geometry"]["coordinates"][0][0][0]
    assert lambert.extent[0] - 0.01 <= x <= lambert.extent[2] + 0.01
    assert lambert.extent[1] - 0.01 <= y <= lambert.extent[3] + 0.01

    # The zone's Lambert bbox, given with bbox-crs, finds it.
    minx, miny, maxx, maxy = lambert.extent
    status, _, body = get(f"{base}?bbox={minx},{miny},{maxx},{maxy}&limit=100"
                          f"&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/26191")
    assert status == 200 and zone.id in {f["id"] for f in json.loads(body)["features"]}

    # EPSG:4326 is latitude first (OGC API Features Part 2).
    status, headers, body = get(f"{base}/{zone.id}?crs=http://www.opengis.net/def/crs/EPSG/0/4326")
    lat, lon = json.loads(body)["geometry"]["coordinates"][0][0][0]
    assert 35 < lat < 36 and -6 < lon < -5


def test_cql2_text_and_json_filters(live_server_url):
    base = f"{live_server_url}/ogc/collections"
    expected = set(current_zones().filter(code="B3").values_list("id", flat=True))
    assert expected
    status, _, body = get(f"{base}/zones/items?limit=1000&filter=" + urllib.request.quote("code = 'B3'"))
    assert status == 200 and {f["id"] for f in json.loads(body)["features"]} == expected

    cql_json = json.dumps({"op": "=", "args": [{"property": "kind"}, "heritage"]})
    status, _, body = get(f"{base}/servitudes/items?limit=1000&filter-lang=cql2-json&filter="
                          + urllib.request.quote(cql_json))
    expected = set(Servitude.objects.live().filter(plan__in=PlanDocument.objects.in_force(), kind="heritage")
                   .values_list("id", flat=True))
    assert status == 200 and expected and {f["id"] for f in json.loads(body)["features"]} == expected

    status, _, body = get(f"{base}/zones/items?limit=1000&filter="
                          + urllib.request.quote("max_floors >= 4 AND code LIKE 'B%'"))
    expected = set(current_zones().filter(rule__max_floors__gte=4, code__startswith="B").values_list("id", flat=True))
    assert status == 200 and {f["id"] for f in json.loads(body)["features"]} == expected


@pytest.mark.parametrize("query, parameter", [
    ("bbox=1,2,3", "bbox"),
    ("bbox=a,b,c,d", "bbox"),
    ("bbox=10,10,0,0", "bbox"),
    ("crs=EPSG:2154", "crs"),
    ("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/26191", "bbox-crs"),
    ("bbox=0,0,1,1&bbox-crs=urn:nope", "bbox-crs"),
    ("filter=code%20%3D", "filter"),
    ("filter=nope%20%3D%201", "filter"),
    ("filter=max_floors%20%3D%20'x'", "filter"),
    ("filter=effective_date%20%3D%20'tomorrow'", "filter"),
    ("filter-lang=cql2-json&filter=%7Bnot%20json", "filter"),
    ("properties=code,nope", "properties"),
    ("limit=10001", "limit"),
    ("limit=-1", "limit"),
    ("offset=x", "offset"),
    ("nope=1", "nope"),
])
def test_bad_input_gets_an_ogc_exception_naming_the_parameter(live_server_url, query, parameter):
    status, headers, body = get(f"{live_server_url}/ogc/collections/zones/items?{query}")
    assert status == 400, body
    error = json.loads(body)
    assert error["code"] == "InvalidParameterValue" and error["parameter"] == parameter
    assert "Traceback" not in error["description"]


@pytest.mark.parametrize("path", [
    "/ogc/collections/nope", "/ogc/collections/nope/items", "/ogc/collections/zones/items/999999999",
    "/ogc/collections/zones/items/abc", "/ogc/collections/zones/tiles/WorldCRS84Quad/1/0/0",
])
def test_unknown_collection_item_or_tileset_is_404(live_server_url, path):
    status, _, body = get(live_server_url + path)
    assert status == 404 and json.loads(body)["code"] == "NotFound"


def test_tile_outside_the_matrix_is_400(live_server_url):
    status, _, body = get(f"{live_server_url}/ogc/collections/zones/tiles/WebMercatorQuad/3/0/8")
    assert status == 400 and "tileCol" in json.loads(body)["parameter"]
    status, _, body = get(f"{live_server_url}/ogc/collections/zones/tiles/WebMercatorQuad/23/0/0")
    assert status == 400 and json.loads(body)["parameter"] == "tileMatrix"
