"""CQL2 operators against the ORM, paging links, single-item CRSs, HTML pages without external assets."""
import json
import re
from urllib.parse import quote

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.test import Client

from plans.models import PlanDocument, Servitude, Zone

pytestmark = pytest.mark.django_db


def ids(collection, cql, lang="cql2-text", **extra):
    query = "&".join(f"{k}={quote(str(v))}" for k, v in extra.items())
    response = Client().get(f"/ogc/collections/{collection}/items?limit=10000&filter-lang={lang}"
                            f"&filter={quote(cql)}&{query}")
    assert response.status_code == 200, response.content
    return {f["id"] for f in json.loads(response.content)["features"]}


def current_zones():
    return Zone.objects.live().filter(plan__in=PlanDocument.objects.in_force())


def test_comparison_in_between_null_and_not():
    zones = current_zones()
    assert ids("zones", "code IN ('B3', 'D1')") == set(zones.filter(code__in=("B3", "D1")).values_list("id", flat=True))
    assert ids("zones", "max_height_m BETWEEN 10 AND 15") == set(
        zones.filter(rule__max_height_m__gte=10, rule__max_height_m__lte=15).values_list("id", flat=True))
    assert ids("zones", "NOT (code = 'B3')") == set(zones.exclude(code="B3").values_list("id", flat=True))
    assert ids("zones", "cos IS NULL") == set(zones.filter(rule__cos__isnull=True).values_list("id", flat=True))
    assert ids("zones", "effective_date >= DATE('2019-01-01')") == set(
        zones.filter(plan__effective_date__gte="2019-01-01").values_list("id", flat=True))


def test_spatial_predicates_in_text_and_json():
    zones = current_zones()
    zone = zones.filter(plan__agency__code="AUT").first()
    point = zone.geom.point_on_surface
    hit = ids("zones", f"S_INTERSECTS(geometry, POINT({point.x} {point.y}))")
    assert hit == set(zones.filter(geom__intersects=Point(point.x, point.y, srid=4326)).values_list("id", flat=True))
    assert zone.id in hit
    cql_json = json.dumps({"op": "s_intersects", "args": [{"property": "geometry"},
                                                          {"type": "Point", "coordinates": [point.x, point.y]}]})
    assert ids("zones", cql_json, lang="cql2-json") == hit


@pytest.mark.parametrize("function, lookup, wkt", [
    ("S_CONTAINS", "contains", "point"), ("S_WITHIN", "within", "box"), ("S_DISJOINT", "disjoint", "box"),
    ("S_TOUCHES", "touches", "corner"), ("S_OVERLAPS", "overlaps", "small box"), ("S_CROSSES", "crosses", "line"),
    ("S_EQUALS", "equals", "zone"),
])
def test_every_spatial_function_of_cql2(function, lookup, wkt):
    """CQL2 Spatial Functions (the conformance class the conformance page declares), each against GeoDjango."""
    zones = current_zones()
    zone = zones.filter(plan__agency__code="AUT").order_by("id").first()
    minx, miny, maxx, maxy = zone.geom.extent
    inner = zone.geom.point_on_surface
    corner = zone.geom.boundary.coords[0][0] if zone.geom.geom_type == "MultiPolygon" else zone.geom.boundary.coords[0]
    shapes = {
        "point": f"POINT({inner.x} {inner.y})",
        "box": f"POLYGON(({minx - .01} {miny - .01}, {maxx + .01} {miny - .01}, {maxx + .01} {maxy + .01}, "
               f"{minx - .01} {maxy + .01}, {minx - .01} {miny - .01}))",
        "corner": f"POINT({corner[0]} {corner[1]})",
        "small box": f"POLYGON(({inner.x - .001} {inner.y - .001}, {inner.x + .001} {inner.y - .001}, "
                     f"{inner.x + .001} {inner.y + .001}, {inner.x - .001} {inner.y + .001}, "
                     f"{inner.x - .001} {inner.y - .001}))",
        "line": f"LINESTRING({minx - .001} {miny - .001}, {maxx + .001} {maxy + .001})",
        "zone": zone.geom.wkt,
    }
    literal = GEOSGeometry(shapes[wkt], srid=4326)
    expected = set(zones.filter(**{f"geom__{lookup}": literal}).values_list("id", flat=True))
    assert ids("zones", f"{function}(geometry, {shapes[wkt]})") == expected
    if lookup != "disjoint":
        assert expected, f"{function}: the sample data has a zone for it"


def test_queryables_are_the_properties_a_filter_accepts():
    body = json.loads(Client().get("/ogc/collections/zones/queryables", HTTP_ACCEPT="application/json").content)
    assert {"code", "max_height_m", "effective_date", "plan_id"} <= set(body["properties"])
    for name, field in (("code", "code"), ("max_floors", "rule__max_floors"), ("plan_id", "plan")):
        expected = current_zones().filter(**{f"{field}__isnull": False})
        assert ids("zones", f"{name} IS NOT NULL") == set(expected.values_list("id", flat=True)), name


def test_property_equality_parameters_and_properties_selection():
    servitudes = Servitude.objects.live().filter(plan__in=PlanDocument.objects.in_force(), kind="equipment")
    response = Client().get("/ogc/collections/equipment/items?limit=1000&properties=code,label_fr")
    features = json.loads(response.content)["features"]
    assert {f["id"] for f in features} == set(servitudes.values_list("id", flat=True))
    assert all(set(f["properties"]) == {"code", "label_fr"} for f in features)
    code = servitudes.first().code
    response = Client().get(f"/ogc/collections/equipment/items?code={code}")
    found = json.loads(response.content)["features"]
    assert {f["id"] for f in found} == set(servitudes.filter(code=code).values_list("id", flat=True))


def test_paging_links_walk_the_whole_collection_once():
    client, seen = Client(), []
    url = "/ogc/collections/roads/items?limit=7&filter=" + quote("kind = 'road'")
    while url:
        page = json.loads(client.get(url).content)
        assert page["numberReturned"] == len(page["features"]) <= 7
        seen += [f["id"] for f in page["features"]]
        links = {link["rel"]: link["href"] for link in page["links"]}
        assert "self" in links and "collection" in links
        url = links.get("next", "").replace("http://testserver", "")
    expected = Servitude.objects.live().filter(plan__in=PlanDocument.objects.in_force(), kind="road")
    assert sorted(seen) == sorted(expected.values_list("id", flat=True))


@pytest.mark.parametrize("path", [
    "/ogc/?f=html", "/ogc/collections?f=html", "/ogc/collections/zones?f=html", "/ogc/conformance?f=html",
    "/ogc/collections/zones/items?f=html&limit=5", "/ogc/collections/catalogue/items?f=html",
    "/ogc/collections/zones/tiles?f=html", "/ogc/openapi?f=html",
])
def test_html_pages_load_nothing_from_outside(path):
    response = Client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="(https?://(?!testserver)[^"]+)"', html)
    assert not external, f"{path} loads {external}"


@pytest.mark.parametrize("path, assets", [
    ("/ogc/collections/zones/items?f=html&limit=5", ["vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css",
                                                     "vendor/bootstrap/bootstrap.min.css"]),
    ("/ogc/openapi?f=html", ["vendor/swagger-ui-dist/swagger-ui-bundle.js", "vendor/swagger-ui-dist/swagger-ui.css"]),
])
def test_html_pages_use_our_vendored_copies(path, assets):
    html = Client().get(path).content.decode()
    for asset in assets:
        assert f"/static/{asset}" in html, f"{path} lost {asset}"
        assert Client().get(f"/static/{asset}").status_code == 200


def test_ogc_layers_command_and_unknown_paths():
    from django.core.management import CommandError, call_command

    client = Client()
    assert client.get("/ogc/collections/communes/items").status_code == 200
    call_command("ogc_layers", "unpublish", "communes", stdout=open("/dev/null", "w"))
    assert client.get("/ogc/collections/communes/items").status_code == 404
    call_command("ogc_layers", "publish", "communes", stdout=open("/dev/null", "w"))
    assert client.get("/ogc/collections/communes/items").status_code == 200
    with pytest.raises(CommandError, match="no layer 'nope'"):
        call_command("ogc_layers", "publish", "nope")
    response = client.get("/ogc/collections/zones/nope")
    assert response.status_code == 404 and json.loads(response.content)["parameter"] == "path"
