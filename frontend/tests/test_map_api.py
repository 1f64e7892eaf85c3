"""The map's JSON APIs against the real PostGIS sample data, checked with the generator's geometries as oracle."""
import pytest
import shapely

from plans.crs import to_wgs84

pytestmark = pytest.mark.django_db


def _plan(dataset, reference, version):
    for agency in dataset.agencies:
        for plan in agency.plans:
            if plan.reference == reference and plan.version == version:
                return agency, plan
    raise AssertionError(f"no plan {reference} v{version} in the sample")


def _inner_point(polygon):
    """A point well inside `polygon` (Lambert metres), away from its edges."""
    return polygon.buffer(-3).representative_point()


def _lonlat(point, srid):
    return to_wgs84(point.x, point.y, srid)


@pytest.mark.parametrize("version,date", [(2, ""), (1, "2012-06-30")])
def test_place_gives_the_zone_of_the_plan_in_force_on_the_date(client, sample_dataset, version, date):
    agency, plan = _plan(sample_dataset, "pa-tetouan-centre", version)
    code, polygon = max(plan.zones, key=lambda z: z[1].area)
    lon, lat = _lonlat(_inner_point(polygon), agency.srid)
    response = client.get("/api/place", {"lon": lon, "lat": lat, "date": date})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [z["code"] for z in body["zones"]] == [code]
    assert [(p["reference"], p["version"]) for p in body["plans"]] == [("pa-tetouan-centre", version)]
    assert body["plans"][0]["decree_reference"] == plan.decree_reference
    rule = body["zones"][0]
    assert rule["label_fr"] and rule["label_ar"] and rule["max_height_m"] is not None


def test_place_never_shows_the_plan_under_public_inquiry(client, sample_dataset):
    agency, draft = _plan(sample_dataset, "pa-tetouan-centre", 3)
    _, in_force = _plan(sample_dataset, "pa-tetouan-centre", 2)
    road = next(s for s in draft.servitudes if s.code == "VP2")  # only the draft has this planned road
    lon, lat = _lonlat(road.geom.interpolate(0.5, normalized=True), agency.srid)
    body = client.get("/api/place", {"lon": lon, "lat": lat}).json()
    assert {p["version"] for p in body["plans"]} == {2}
    assert "VP2" not in {s["code"] for s in body["servitudes"]}
    assert body["date"]


def test_lambert_coordinates_give_the_same_answer_as_lon_lat(client, sample_dataset):
    agency, plan = _plan(sample_dataset, "pa-tetouan-centre", 2)
    point = _inner_point(plan.zones[3][1])
    lon, lat = _lonlat(point, agency.srid)
    by_lonlat = client.get("/api/place", {"lon": lon, "lat": lat}).json()
    by_lambert = client.get("/api/place", {"x": point.x, "y": point.y, "crs": "EPSG:26191"}).json()
    assert by_lambert["zones"] == by_lonlat["zones"]
    assert abs(by_lambert["lambert"]["x"] - point.x) < 0.02 and abs(by_lambert["lambert"]["y"] - point.y) < 0.02


def test_parcel_place_gives_zone_shares_computed_in_lambert(client, sample_dataset):
    agency, plan = _plan(sample_dataset, "pa-tetouan-centre", 2)
    # A parcel that straddles two zones: the oracle is shapely in Lambert.
    for title, geom in zip(agency.parcel_titles, agency.parcel_geoms):
        shares = {}
        for code, poly in plan.zones:
            shares[code] = shares.get(code, 0) + shapely.intersection(geom, poly).area / geom.area
        shares = {c: s for c, s in shares.items() if s > 0.05}
        if len(shares) >= 2:
            break
    response = client.get("/api/place", {"parcel": str(title).replace(" ", "").lower()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["parcel"]["title_number"] == title
    got = {}
    for zone in body["zones"]:
        got[zone["code"]] = got.get(zone["code"], 0) + zone["share"]
    for code, share in shares.items():
        assert got[code] == pytest.approx(share, abs=0.002)
    assert body["links"]["note"].startswith("/notes/new?title=")
    assert body["links"]["extract"].startswith("/extraits?parcel=")


@pytest.mark.parametrize("params,status,words", [
    ({}, 400, "lon=…&lat="),
    ({"lon": "abc", "lat": "35"}, 400, "not a number"),
    ({"lon": "503243", "lat": "554174"}, 400, "crs=EPSG:26191"),
    ({"x": "503243", "y": "554174"}, 400, "EPSG:26191"),
    ({"x": "503243", "y": "554174", "crs": "EPSG:2154"}, 400, "not supported"),
    ({"lon": "35.5889", "lat": "-5.3626"}, 404, "swapped"),
    ({"lon": "-5.36", "lat": "35.58", "date": "30/06/2012"}, 400, "YYYY-MM-DD"),
    ({"parcel": "TF 99999999/19"}, 404, "no parcel TF 99999999/19"),
    ({"parcel": "hello"}, 400, "TF 12345/19"),
])
def test_place_explains_bad_input(client, params, status, words):
    response = client.get("/api/place", params)
    assert response.status_code == status
    assert words in response.json()["description"]


@pytest.mark.parametrize("query,kind,expected", [
    ("T.F. 10001-19", "parcel", "TF 10001/19"),
    ("tf 1000", "parcel", "TF 10001/19"),
    ("tetouan", "commune", "Tétouan"),
    ("مرتيل", "commune", "Martil"),
    ("-5.3626, 35.5889", "coordinates", "EPSG:4326"),
    ("35.5889 -5.3626", "coordinates", "EPSG:4326"),
    ("503243 554174", "coordinates", "EPSG:26191"),
    ("503243,5 554174,25", "coordinates", "EPSG:26191"),
])
def test_search_finds_titles_communes_and_coordinates(client, query, kind, expected):
    body = client.get("/api/search", {"q": query}).json()
    assert body["results"], body
    first = body["results"][0]
    assert first["type"] == kind
    assert expected in (first.get("title_number"), first.get("name_fr"), first.get("crs"))
    assert -17 < first["lon"] < -1 and 21 < first["lat"] < 36


def test_lambert_coordinates_land_near_the_expected_place(client):
    body = client.get("/api/search", {"q": "503243 554174"}).json()
    only = body["results"]
    # The same numbers read in Merchich / Sahara Sud land in Dakhla's (vast) province too: both are offered,
    # the north first, and the message says to choose.
    assert [(r["agency"], r["crs"]) for r in only] == [("AUT", "EPSG:26191"), ("AUD", "EPSG:26195")]
    assert "ambiguous" in body["message"]
    assert only[0]["lon"] == pytest.approx(-5.3626, abs=1e-3) and only[0]["lat"] == pytest.approx(35.5889, abs=1e-3)


def test_search_says_when_coordinates_fall_nowhere(client):
    body = client.get("/api/search", {"q": "2 2"}).json()
    assert body["results"] == []
    assert "outside every agency" in body["message"]


def test_search_refuses_empty_and_overlong_queries(client):
    assert client.get("/api/search").status_code == 400
    assert "at most" in client.get("/api/search", {"q": "x" * 500}).json()["description"]


def test_plans_by_date_show_the_version_in_force_then(client):
    now = client.get("/api/plans").json()
    then = client.get("/api/plans", {"date": "2012-01-01"}).json()
    assert {(f["properties"]["reference"], f["properties"]["version"]) for f in now["features"]} == {
        ("pa-tetouan-centre", 2), ("pa-guelmim", 1), ("pa-laayoune", 1), ("pa-dakhla", 1)}
    assert {(f["properties"]["reference"], f["properties"]["version"]) for f in then["features"]} == {
        ("pa-tetouan-centre", 1)}
    assert now["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_answers_carry_an_etag_that_revalidates(client):
    first = client.get("/api/plans")
    assert first["ETag"]
    again = client.get("/api/plans", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_territories_are_the_offline_background(client):
    body = client.get("/api/territories").json()
    assert {f["properties"]["code"] for f in body["features"]} == {"AUT", "AUG", "AUL", "AUD"}


@pytest.mark.parametrize("query, without_wildcards", [
    ("%", "touan"), ("_", "touan"), ("%%", "touan"), ("%ouan", "ouan"), ("t_touan", "tetouan"), ("\\", "touan"),
    ("tét%", "tét"), ("مرت%", "مرت"),
])
def test_percent_and_underscore_are_characters_not_wildcards(live_server_url, query, without_wildcards):
    """Searched on the live server: a LIKE wildcard typed by the user matches only itself (no commune has one)."""
    import requests

    def search(text):
        return requests.get(f"{live_server_url}/api/search", params={"q": text}, timeout=30).json()

    body = search(query)
    assert body["results"] == [] and "nothing matches" in body["message"], body
    assert search(without_wildcards)["results"]  # the text without them finds communes


def test_parcel_place_says_what_can_be_built_as_the_note_does(client):
    import datetime

    from plans.note.content import compute
    from plans.note.land import identify

    answer = client.get("/api/place", {"parcel": "TF 10009/19"}).json()
    note = compute(identify({"title_number": "TF 10009/19"}), datetime.date.today())["buildable"]
    for key in ("max_footprint_m2", "max_floor_area_m2", "max_height_m", "max_floors", "footprint", "checks"):
        assert answer["buildable"][key] == note[key], key
