"""Items as standard clients ask for them, checked against the ORM: numberMatched (exact, or estimated on large
tables), datetime by the plans' legal dates, q, skipGeometry, resulttype=hits, a bbox across the antimeridian,
CQL2 BBOX() literals and filter-crs in Lambert, GDAL's fast `ogrinfo -so`, OWSLib Records with q."""
import datetime
import re
import subprocess

import pytest
from django.contrib.gis.geos import Polygon
from owslib.ogcapi.records import Records
from pyproj import Transformer

from layers.serving.registry import RECORD_PROPERTIES, ZONE_PROPERTIES
from plans.models import Parcel, PlanDocument, Zone

pytestmark = pytest.mark.django_db
ITEMS = "/ogc/collections/{}/items"


def page(client, collection, **params):
    response = client.get(ITEMS.format(collection), params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def all_ids(client, collection, **params):
    ids, offset = set(), 0
    while True:
        body = page(client, collection, limit=1000, offset=offset, **params)
        ids |= {f["id"] for f in body["features"]}
        if not any(link["rel"] == "next" for link in body["links"]):
            return ids
        offset += 1000


def zones_in_force(day):
    return Zone.objects.live().filter(plan__in=PlanDocument.objects.in_force(day))


def box(minx, miny, maxx, maxy):
    polygon = Polygon.from_bbox((minx, miny, maxx, maxy))
    polygon.srid = 4326
    return polygon


def test_number_matched_is_exact_on_every_page(client):
    expected = zones_in_force(datetime.date.today()).count()
    assert expected > 20
    for limit, offset in ((5, 0), (5, 10), (1000, 0), (5, expected + 50)):
        body = page(client, "zones", limit=limit, offset=offset)
        assert body["numberMatched"] == expected and "numberMatchedEstimated" not in body, (limit, offset)
    code = Zone.objects.live().filter(plan__in=PlanDocument.objects.in_force()).values_list("code", flat=True)[0]
    body = page(client, "zones", limit=2, filter=f"code = '{code}'")
    assert body["numberMatched"] == zones_in_force(datetime.date.today()).filter(code=code).count()
    hits = page(client, "zones", resulttype="hits")
    assert hits["numberMatched"] == expected and hits["features"] == [] and hits["numberReturned"] == 0
    last = page(client, "zones", limit=5, offset=expected - 5)
    assert not any(link["rel"] == "next" for link in last["links"]), "numberMatched says there is no next page"


def test_number_matched_of_large_tables_is_estimated_unfiltered_and_exact_in_a_bbox(client):
    total = Parcel.objects.count()
    body = page(client, "parcels", limit=3)
    assert body["numberMatchedEstimated"] is True
    assert 0.5 * total <= body["numberMatched"] <= 2 * total
    parcel = Parcel.objects.order_by("id")[200]
    minx, miny, maxx, maxy = parcel.geom.buffer(0.004).extent
    expected = Parcel.objects.filter(geom__intersects=box(minx, miny, maxx, maxy)).count()
    assert expected > 3
    body = page(client, "parcels", limit=3, bbox=f"{minx},{miny},{maxx},{maxy}")
    assert body["numberMatched"] == expected and "numberMatchedEstimated" not in body


def test_datetime_keeps_the_features_of_plans_in_force_then(client):
    superseded = PlanDocument.objects.filter(status="superseded").exclude(effective_date=None).first()
    assert superseded is not None, "the sample data has a superseded plan version"
    day = superseded.effective_date
    served = all_ids(client, "zones", datetime=day.isoformat()) | all_ids(client, "zones-history",
                                                                          datetime=f"{day.isoformat()}T12:00:00Z")
    expected = set(zones_in_force(day).values_list("id", flat=True))
    assert expected and served == expected
    today = datetime.date.today()
    assert all_ids(client, "zones", datetime=today.isoformat()) == set(zones_in_force(today).values_list("id", flat=True))
    # An interval: every plan version in force at some day of it.
    start, end = day, today
    plans = [p for p in PlanDocument.objects.exclude(effective_date=None)
             if p.effective_date <= end and min([d for d in (p.expiry_date, p.superseded_on) if d] or [end + datetime.timedelta(1)]) > start
             and p.status in ("approved", "superseded", "expired")]
    expected = set(Zone.objects.live().filter(plan__in=plans).values_list("id", flat=True))
    served = all_ids(client, "zones", datetime=f"{start}/{end}") | all_ids(client, "zones-history",
                                                                          datetime=f"{start}/..")
    assert served == expected
    # QGIS 3.22 bounds half-open intervals with the years 0000 and 9999 of RFC 3339.
    for qgis, standard in ((f"0000-01-01T00:00:00Z/{day}", f"../{day}"),
                           (f"{day}T00:00:00Z/9999-12-31T00:00:00Z", f"{day}/..")):
        assert all_ids(client, "zones-history", datetime=qgis) == all_ids(client, "zones-history", datetime=standard)
    for bad in ("yesterday", "0000-13-01/2020-01-01", "2020-01-01/2019-01-01", "../..", "2020-01-01/2020-02-01/2020-03-01"):
        response = client.get(ITEMS.format("zones"), {"datetime": bad})
        assert response.status_code == 400 and response.json()["parameter"] == "datetime", bad
    assert page(client, "parcels", limit=1, datetime="2001-01-01")["numberReturned"] == 1  # no legal dates: unfiltered


def test_a_datetime_before_any_plan_is_an_empty_page_in_json_and_html(client):
    """Features Part 1: a datetime outside the temporal extent matches nothing; it is not an error (pygeoapi's own
    check answered 400 on the HTML pages)."""
    first = min(PlanDocument.objects.exclude(effective_date=None).values_list("effective_date", flat=True))
    before = first - datetime.timedelta(days=400)
    later = PlanDocument.objects.in_force().exclude(effective_date=None).first().effective_date
    for value in (before.isoformat(), f"../{before}", f"{before - datetime.timedelta(days=30)}/{before}"):
        assert page(client, "zones", datetime=value)["features"] == [], value
        response = client.get(ITEMS.format("zones"), {"datetime": value, "f": "html"})
        assert response.status_code == 200, (value, response.content[:300])
        assert b"collections/zones/items/" not in response.content, value  # no feature linked
    response = client.get(ITEMS.format("zones"), {"datetime": later.isoformat(), "f": "html"})
    assert response.status_code == 200 and b"collections/zones/items/" in response.content


def test_q_and_skip_geometry(client):
    body = page(client, "zones", q="zone,nothing-like-this", limit=1000, skipGeometry="true")
    assert all(f["geometry"] is None for f in body["features"])
    text = [name for name, kind in ZONE_PROPERTIES.items() if kind == "string"]
    everything = page(client, "zones", limit=1000)["features"]
    expected = {f["id"] for f in everything
                if any("zone" in str(f["properties"][n] or "").lower() for n in text)}
    assert {f["id"] for f in body["features"]} == expected
    assert page(client, "zones", q="%", limit=1)["numberMatched"] == 0, "LIKE wildcards in q are plain characters"


def test_bbox_across_the_antimeridian_and_cql2_bbox_literal(client):
    # From 10°W eastwards round the globe to 11°W: everything but a 1° strip.
    served = all_ids(client, "zones", bbox="-10,20,-11,37")
    today = zones_in_force(datetime.date.today())
    expected = set(today.filter(geom__intersects=box(-10, 20, 180, 37)).values_list("id", flat=True)) | set(
        today.filter(geom__intersects=box(-180, 20, -11, 37)).values_list("id", flat=True))
    assert served == expected and served
    zone = today.filter(plan__agency__code="AUT").first()
    minx, miny, maxx, maxy = zone.geom.extent
    literal = all_ids(client, "zones", filter=f"S_INTERSECTS(geometry, BBOX({minx}, {miny}, {maxx}, {maxy}))")
    assert literal == all_ids(client, "zones", bbox=f"{minx},{miny},{maxx},{maxy}") and zone.id in literal
    json_box = all_ids(client, "zones", **{"filter-lang": "cql2-json", "filter": (
        '{"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": [%r, %r, %r, %r]}]}'
        % (minx, miny, maxx, maxy))})
    assert json_box == literal


def test_filter_crs_in_lambert_and_lat_lon(client):
    zone = zones_in_force(datetime.date.today()).filter(plan__agency__code="AUT").first()
    point = zone.geom.point_on_surface
    x, y = Transformer.from_crs(4326, 26191, always_xy=True).transform(point.x, point.y)
    expected = set(zones_in_force(datetime.date.today()).filter(geom__intersects=point).values_list("id", flat=True))
    lambert = all_ids(client, "zones", **{"filter-crs": "http://www.opengis.net/def/crs/EPSG/0/26191",
                                         "filter": f"S_INTERSECTS(geometry, POINT({x} {y}))"})
    lat_lon = all_ids(client, "zones", **{"filter-crs": "EPSG:4326",
                                         "filter": f"S_INTERSECTS(geometry, POINT({point.y} {point.x}))"})
    assert zone.id in expected and lambert == expected and lat_lon == expected


def test_gdal_ogrinfo_summary_reads_one_page_thanks_to_number_matched(live_server_url, live_server_log):
    before = live_server_log.read_text().count("/ogc/collections/zones/items")
    result = subprocess.run(["ogrinfo", "-ro", "-so", f"OAPIF:{live_server_url}/ogc/collections/zones", "zones"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(re.search(r"Feature Count: (\d+)", result.stdout).group(1)) == zones_in_force(
        datetime.date.today()).count()
    requests = live_server_log.read_text().count("/ogc/collections/zones/items") - before
    assert requests <= 2, f"{requests} item requests for a summary"


def test_owslib_records_search_with_q(live_server_url):
    records = Records(f"{live_server_url}/ogc")
    found = records.collection_items("catalogue", q="Tétouan", limit=100)
    everything = records.collection_items("catalogue", limit=1000)["features"]
    text = [name for name, kind in RECORD_PROPERTIES.items() if kind == "string"]
    expected = {r["id"] for r in everything if any("tétouan" in str(r["properties"].get(n) or "").lower() for n in text)}
    assert expected and {r["id"] for r in found["features"]} == expected
    assert found["numberMatched"] == len(expected)


def test_datetime_is_in_the_openapi_and_the_collections_say_their_temporal_extent(client):
    oas = client.get("/ogc/openapi", HTTP_ACCEPT="application/vnd.oai.openapi+json;version=3.0").json()
    datetime_ref = {"$ref": "#/components/parameters/datetime"}
    assert oas["components"]["parameters"]["datetime"]["in"] == "query"
    for collection in ("zones", "servitudes", "zones-history", "catalogue"):
        assert datetime_ref in oas["paths"][f"/collections/{collection}/items"]["get"]["parameters"], collection
    assert datetime_ref not in oas["paths"]["/collections/parcels/items"]["get"]["parameters"]  # no legal dates

    first = min(PlanDocument.objects.in_force().values_list("effective_date", flat=True))
    temporal = client.get("/ogc/collections/zones", HTTP_ACCEPT="application/json").json()["extent"]["temporal"]
    assert temporal["interval"] == [[f"{first.isoformat()}T00:00:00+00:00", None]]
    assert temporal["trs"] == "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
    history = client.get("/ogc/collections/zones-history", HTTP_ACCEPT="application/json").json()["extent"]
    oldest = min(PlanDocument.objects.exclude(effective_date=None).exclude(status="approved")
                 .values_list("effective_date", flat=True))
    assert history["temporal"]["interval"][0][0] <= f"{oldest.isoformat()}T00:00:00+00:00"
    assert "temporal" not in client.get("/ogc/collections/parcels", HTTP_ACCEPT="application/json").json()["extent"]
