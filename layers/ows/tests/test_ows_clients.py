"""WMS 1.3.0 and WFS 2.0 at /ows through real clients (OWSLib, Pillow on the PNG) against the live server.

Oracles: the ORM (PlanDocument.objects.in_force(), Zone.objects.live()) for what is public, PostGIS's own
ST_Transform (the pinned Merchich shift) for where a zone lies in each CRS, and plans.vocabulary's Python
patterns for its colour; never the generated mapfile or its SQL.
"""
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import in_db
from django.db import connection
from owslib.etree import etree
from owslib.fes2 import Filter, PropertyIsEqualTo
from owslib.wfs import WebFeatureService
from owslib.wms import WebMapService
from PIL import Image

from layers.models import LayerPublication
from layers.serving.registry import configured_layers, set_published
from plans.models import Agency, Commune, Parcel, PlanDocument, Servitude, Zone
from plans.vocabulary import ZONE_FAMILIES, zone_colour

pytestmark = pytest.mark.django_db
CRSS = ("EPSG:3857", "EPSG:4326", "EPSG:26191", "EPSG:26192")
PIXELS = 9
REQUESTS = 8  # several per gunicorn worker (the live server runs 2)


def get(url, **params):
    query = urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(f"{url}?{query}", timeout=120) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.read()


def current_zones():
    return Zone.objects.live().filter(plan__in=PlanDocument.objects.in_force())


def interior_square(srid, agency_srid, other_than_code=None):
    """(zone id, code, bbox in `srid` of a square well inside the zone), for the current zone of an agency in
    the Lambert zone `agency_srid` (with a code other than `other_than_code`) with the largest inscribed circle."""
    ids = list(current_zones().filter(plan__agency__srid=agency_srid).exclude(code=other_than_code)
               .values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT id, code, ST_X(c), ST_Y(c), r FROM (
              SELECT z.id, z.code, ST_Transform(m.center, %s) c,
                     ST_Distance(ST_Transform(m.center, %s), ST_Transform(m.nearest, %s)) / 4 r
              FROM plans_zone z, ST_MaximumInscribedCircle(ST_Transform(z.geom, %s)) m0,
                   LATERAL (SELECT ST_Transform(m0.center, 4326) center, ST_Transform(m0.nearest, 4326) nearest) m
              WHERE z.id = ANY(%s)) s
            ORDER BY r DESC LIMIT 1""", [srid, srid, srid, agency_srid, ids])
        zone_id, code, x, y, r = cursor.fetchone()
    return zone_id, code, (x - r, y - r, x + r, y + r)


def rgb(colour):
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_owslib_reads_the_wms_capabilities(live_server_url):
    wms = WebMapService(f"{live_server_url}/ows", version="1.3.0")
    public = {layer.id for layer in configured_layers() if layer.item_type == "feature"}
    assert public <= set(wms.contents)
    assert "catalogue" not in wms.contents
    zones = wms.contents["zones"]
    assert set(CRSS) <= set(zones.crsOptions)
    assert "image/png" in wms.getOperationByName("GetMap").formatOptions
    assert {"text/html", "application/json"} <= set(wms.getOperationByName("GetFeatureInfo").formatOptions)
    assert wms.getOperationByName("GetMap").methods[0]["url"].startswith(f"{live_server_url}/ows")


@pytest.mark.parametrize("crs", CRSS)
@pytest.mark.parametrize("agency_srid", (26191, 26192))
def test_getmap_draws_the_zone_in_its_family_colour(live_server_url, crs, agency_srid):
    zone_id, code, box = interior_square(int(crs.split(":")[1]), agency_srid)
    wms = WebMapService(f"{live_server_url}/ows", version="1.3.0")
    image = wms.getmap(layers=["zones"], styles=[""], srs=crs, bbox=box, size=(PIXELS, PIXELS),
                       format="image/png", transparent=True)
    picture = Image.open(io.BytesIO(image.read())).convert("RGBA")
    assert picture.size == (PIXELS, PIXELS)
    r, g, b, a = picture.getpixel((PIXELS // 2, PIXELS // 2))
    expected = rgb(zone_colour(code))
    assert max(abs(r - expected[0]), abs(g - expected[1]), abs(b - expected[2])) <= 6, (code, (r, g, b), expected)
    assert 120 <= a <= 160  # the web map's 55 % fill over whatever base map the client draws


def test_getfeatureinfo_answers_json_and_html(live_server_url):
    zone_id, code, box = interior_square(26191, 26191)
    common = dict(SERVICE="WMS", VERSION="1.3.0", REQUEST="GetFeatureInfo", LAYERS="zones", QUERY_LAYERS="zones",
                  STYLES="", CRS="EPSG:26191", BBOX=",".join(map(str, box)), WIDTH=PIXELS, HEIGHT=PIXELS,
                  I=PIXELS // 2, J=PIXELS // 2)
    status, content_type, body = get(f"{live_server_url}/ows", INFO_FORMAT="application/json", **common)
    assert status == 200 and "json" in content_type, body[:300]
    features = json.loads(body)["features"]
    assert [f["properties"]["code"] for f in features] == [code]
    assert int(features[0]["properties"]["id"]) == zone_id
    status, content_type, body = get(f"{live_server_url}/ows", INFO_FORMAT="text/html", **common)
    assert status == 200 and content_type.startswith("text/html")
    assert f"<td>{code}</td>" in body.decode()


def test_getlegendgraphic_shows_every_zone_family(live_server_url):
    status, content_type, body = get(f"{live_server_url}/ows", SERVICE="WMS", VERSION="1.3.0",
                                     REQUEST="GetLegendGraphic", LAYER="zones", FORMAT="image/png",
                                     SLD_VERSION="1.1.0")
    assert status == 200 and content_type == "image/png", body[:300]
    colours = {pixel[:3] for pixel in Image.open(io.BytesIO(body)).convert("RGB").getdata()}
    blended = {tuple(round(c * 0.55 + 255 * 0.45) for c in rgb(f.colour)) for f in ZONE_FAMILIES}
    found = {want for want in blended if any(max(abs(a - b) for a, b in zip(want, got)) <= 3 for got in colours)}
    assert found == blended


def test_wfs_getfeature_counts_equal_the_database(live_server_url):
    wfs = WebFeatureService(f"{live_server_url}/ows", version="2.0.0")
    assert "zones" in {name.split(":")[-1] for name in wfs.contents}
    typename = next(name for name in wfs.contents if name.split(":")[-1] == "zones")
    answer = json.loads(wfs.getfeature(typename=[typename], outputFormat="application/json").read())
    expected = set(current_zones().values_list("id", flat=True))
    assert {int(f["properties"]["id"]) for f in answer["features"]} == expected
    gml = wfs.getfeature(typename=[typename]).read()
    assert gml.count(b"<ms:zones ") + gml.count(b"<ms:zones>") == len(expected)


def test_wfs_bbox_and_filter(live_server_url):
    zone_id, _, (minx, miny, maxx, maxy) = interior_square(4326, 26191)
    zone = Zone.objects.get(id=zone_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(z.id) FROM plans_zone z WHERE z.id = ANY(%s) AND ST_Intersects(z.geom, "
                       "ST_MakeEnvelope(%s, %s, %s, %s, 4326))",
                       [list(current_zones().values_list("id", flat=True)), minx, miny, maxx, maxy])
        in_box = set(cursor.fetchone()[0])
    status, _, body = get(f"{live_server_url}/ows", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature",
                          TYPENAMES="zones", OUTPUTFORMAT="application/json",
                          BBOX=f"{miny},{minx},{maxy},{maxx},urn:ogc:def:crs:EPSG::4326")
    assert status == 200, body[:400]
    assert {int(f["properties"]["id"]) for f in json.loads(body)["features"]} == in_box

    # The standard KVP FILTER (OWSLib's GET sends a non-standard `query` key): a FES 2.0 filter built by OWSLib.
    fes = etree.tostring(Filter(PropertyIsEqualTo(propertyname="code", literal=zone.code)).toXML()).decode()
    status, _, body = get(f"{live_server_url}/ows", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature",
                          TYPENAMES="zones", OUTPUTFORMAT="application/json", FILTER=fes)
    assert status == 200, body[:400]
    assert {int(f["properties"]["id"]) for f in json.loads(body)["features"]} == \
        set(current_zones().filter(code=zone.code).values_list("id", flat=True))


def test_drafts_never_and_history_by_date(live_server_url):
    drafts = set(Zone.objects.filter(plan__status__in=("draft", "public_inquiry")).values_list("id", flat=True))
    assert drafts, "the sample data has a draft plan"
    served = set()
    for layer in ("zones", "zones-history"):
        status, _, body = get(f"{live_server_url}/ows", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature",
                              TYPENAMES=layer, OUTPUTFORMAT="application/json")
        assert status == 200
        served |= {int(f["properties"]["id"]) for f in json.loads(body)["features"]}
    assert not served & drafts

    superseded = PlanDocument.objects.filter(status="superseded").order_by("effective_date").first()
    day = superseded.effective_date
    expected = set(Zone.objects.live().filter(plan__in=PlanDocument.objects.in_force(day)).values_list("id", flat=True))
    assert expected and expected != set(current_zones().values_list("id", flat=True))
    status, _, body = get(f"{live_server_url}/ows", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature",
                          TYPENAMES="zones", OUTPUTFORMAT="application/json", date=day.isoformat())
    assert status == 200, body[:300]
    assert {int(f["properties"]["id"]) for f in json.loads(body)["features"]} == expected

    # The servitudes, roads and equipment of that day too, each layer with its own kinds.
    then = Servitude.objects.live().filter(plan__in=PlanDocument.objects.in_force(day))
    roads, equipment = ("road", "planned_road", "road_widening"), ("equipment",)
    for layer, servitudes in (("servitudes", then.exclude(kind__in=roads + equipment)),
                              ("roads", then.filter(kind__in=roads)), ("equipment", then.filter(kind__in=equipment))):
        status, _, body = get(f"{live_server_url}/ows", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature",
                              TYPENAMES=layer, OUTPUTFORMAT="application/json", date=day.isoformat())
        assert status == 200, body[:300]
        expected = set(servitudes.values_list("id", flat=True))
        assert expected, layer
        assert {int(f["properties"]["id"]) for f in json.loads(body)["features"]} == expected, layer


@pytest.mark.parametrize("params", [
    {"map": "/etc/passwd"},
    {"MAP": "/work/other.map"},
    {"map.layer[zones]": "DATA 'geom from pg_shadow'"},
    {"SLD": "http://169.254.169.254/latest/style.sld"},
    {"SLD_BODY": "<StyledLayerDescriptor/>"},
    {"LAYERS": "../../etc/passwd"},
    {"WIDTH": "100000", "HEIGHT": "10"},
    {"BBOX": "1,2,3,DROP TABLE"},
    {"date": "2020-13-45"},
    {"date": "2020-01-01' OR '1'='1"},
    {"FILTER": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Filter>&e;</Filter>'},
    {"LAYERS": "no_such_layer"},
    {"REQUEST": "GetMap", "LAYERS": "zones", "CRS": "EPSG:2154"},
])
def test_hostile_parameters_get_a_clean_4xx(live_server_url, params):
    query = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "zones", "STYLES": "",
             "CRS": "EPSG:4326", "BBOX": "35.5,-5.4,35.6,-5.3", "WIDTH": "10", "HEIGHT": "10",
             "FORMAT": "image/png"}
    query.update(params)
    status, content_type, body = get(f"{live_server_url}/ows", **query)
    assert 400 <= status < 500, (status, body[:300])
    assert "xml" in content_type and b"root:" not in body and b"Traceback" not in body


def test_post_is_refused(live_server_url):
    request = urllib.request.Request(f"{live_server_url}/ows", data=b"<GetFeature/>", method="POST")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)
    assert error.value.code == 405


@pytest.mark.parametrize("service, version", [("WMS", "1.3.0"), ("WMS", "1.1.1"), ("WFS", "2.0.0"), ("WFS", "1.1.0")])
def test_capabilities_offer_get_only(live_server_url, service, version):
    status, _, body = get(f"{live_server_url}/ows", SERVICE=service, VERSION=version, REQUEST="GetCapabilities")
    assert status == 200
    root = etree.fromstring(body)
    local = [(element.tag.rsplit("}", 1)[-1], element) for element in root.iter() if isinstance(element.tag, str)]
    assert not [tag for tag, _ in local if tag == "Post"], "POST is refused with a 405: not to be offered"
    https = [element for tag, element in local if tag == "HTTP"]
    assert https and all(any(child.tag.endswith("Get") for child in http) for http in https)


def hits(base, typename):
    status, _, body = get(f"{base}/ows", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature", TYPENAMES=typename,
                          RESULTTYPE="hits")
    assert status == 200, body[:300]
    return int(re.search(rb'numberMatched="(\d+)"', body).group(1))


def test_wfs_counts_equal_the_database_for_every_kind_of_layer(live_server_url):
    expected = {
        "zones": current_zones().count(),
        "parcels": Parcel.objects.count(),
        "agencies": Agency.objects.count(),
        "communes": Commune.objects.count(),
        "plans": PlanDocument.objects.in_force().count(),
        "servitudes": Servitude.objects.live().filter(plan__in=PlanDocument.objects.in_force())
                      .exclude(kind__in=("road", "planned_road", "road_widening", "equipment")).count(),
    }
    assert {name: hits(live_server_url, name) for name in expected} == expected


@pytest.fixture
def publish(django_db_blocker):
    """set_published(collection, flag), committed so that the live server sees it; restored afterwards."""
    yield lambda collection, flag: in_db(django_db_blocker, lambda: set_published(collection, flag))
    in_db(django_db_blocker, lambda: LayerPublication.objects.filter(collection="communes").delete())


def test_unpublished_layer_leaves_ows_in_every_worker(live_server_url, publish):
    def names():
        status, _, body = get(f"{live_server_url}/ows", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetCapabilities")
        return set(re.findall(rb"<Name>([-\w]+)</Name>", body))

    assert all(b"communes" in names() for _ in range(REQUESTS))
    publish("communes", False)
    assert [b"communes" in names() for _ in range(REQUESTS)] == [False] * REQUESTS
    assert hits(live_server_url, "zones") == current_zones().count()  # the others still served
    status, _, _ = get(f"{live_server_url}/ows", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature",
                       TYPENAMES="communes")
    assert status == 400
    publish("communes", True)
    assert all(b"communes" in names() for _ in range(REQUESTS))


@pytest.mark.parametrize("srid", (26191, 26192))
def test_wfs_lambert_coordinates_match_postgis_to_the_millimetre(live_server_url, srid):
    zone_id = current_zones().filter(plan__agency__srid=srid).order_by("id").values_list("id", flat=True)[0]
    status, _, body = get(f"{live_server_url}/ows", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature",
                          RESOURCEID=f"zones.{zone_id}", SRSNAME=f"EPSG:{srid}")
    assert status == 200, body[:300]
    served = [float(v) for v in re.search(rb"<gml:posList[^>]*>([^<]+)<", body).group(1).split()[:2]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN("
                       "ST_Transform(geom, %s), 1)), 1) p FROM plans_zone WHERE id = %s) s", [srid, zone_id])
        expected = cursor.fetchone()
    assert max(abs(a - b) for a, b in zip(served, expected)) < 0.001, (served, expected)


@pytest.fixture
def pinned_observations(django_db_blocker):
    """A published observation pinned to a point and one drawn as an area on the draft (committed: the live server
    reads them), as (point lon/lat, area bbox lon/lat, their ids); removed afterwards."""
    from django.apps import apps
    from django.contrib.gis.geos import Point, Polygon

    # The inquiry slice's models through the app registry (as migrations do): slices never import each other.
    Inquiry, Observation = apps.get_model("inquiry", "Inquiry"), apps.get_model("inquiry", "Observation")

    def make():
        draft = PlanDocument.objects.get(status="public_inquiry", agency__srid=26191)
        inquiry, _ = Inquiry.objects.get_or_create(plan=draft)
        centre = draft.perimeter.centroid
        x, y = centre.x, centre.y
        area = (x + 0.001, y + 0.001, x + 0.003, y + 0.003)
        made = [Observation.objects.create(inquiry=inquiry, number=f"OBS-WMS-{n}-00001", position=900 + n,
                                           secret_hash="-", text=text, public_text=text, place=place,
                                           status="published")
                for n, text, place in ((1, "point", Point(x, y, srid=4326)),
                                       (2, "area", Polygon.from_bbox(area)))]
        return (x, y), area, [o.id for o in made]

    point, area, ids = in_db(django_db_blocker, make)
    yield point, area, ids

    def remove():
        Observation.objects.filter(id__in=ids).delete()
    in_db(django_db_blocker, remove)


def test_observations_points_and_areas_are_drawn_and_served_each_with_its_geometry(live_server_url,
                                                                                   pinned_observations):
    """A MapServer layer has one geometry type: the mixed observations are two layers grouped under their
    collection's name, so LAYERS=observations draws the pins and the areas, and WFS keeps each geometry."""
    (x, y), area, (point_id, area_id) = pinned_observations
    wms = WebMapService(f"{live_server_url}/ows", version="1.3.0")
    assert {"observations", "observations-points", "observations-areas"} <= set(wms.contents)
    size, d = 200, 0.004
    box = (x - d, y - d, x + d, y + d)
    image = wms.getmap(layers=["observations"], styles=[""], srs="CRS:84", bbox=box, size=(size, size),
                       format="image/png", transparent=True)
    picture = Image.open(io.BytesIO(image.read())).convert("RGBA")

    def pixel(lon, lat):
        return picture.getpixel((int((lon - box[0]) / (2 * d) * size), int((box[3] - lat) / (2 * d) * size)))

    assert pixel(x, y)[3] > 150, "the pin is drawn"
    assert pixel((area[0] + area[2]) / 2, (area[1] + area[3]) / 2)[3] > 40, "the area is drawn"
    assert pixel(x - 0.003, y - 0.003)[3] == 0, "nothing elsewhere"
    for typename, kind, oid in (("observations-points", "Point", point_id), ("observations-areas", "Polygon", area_id)):
        status, _, body = get(f"{live_server_url}/ows", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature",
                              TYPENAMES=typename, OUTPUTFORMAT="application/json")
        assert status == 200, body[:300]
        features = {int(f["properties"]["id"]): f["geometry"]["type"] for f in json.loads(body)["features"]}
        assert features.get(oid) == kind, (typename, features)
