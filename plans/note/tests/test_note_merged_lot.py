"""Several land titles merged into one lot: one note, its envelope, area and boundary length per zone."""
import json

import pytest
import shapely

from plans.crs import transform_shapely
from plans.models import Parcel

pytestmark = pytest.mark.django_db
PAIR = ["TF 10004/19", "TF 10005/19"]  # side by side in one row of lots


def post(client, body, settings):
    settings.NOTE_ANONYMOUS_RATE = ""
    return client.post("/api/notes", json.dumps(body), content_type="application/json")


def lambert(title):
    return transform_shapely(shapely.from_wkb(bytes(Parcel.objects.get(title_number=title).geom.wkb)), 4326, 26191)


def test_two_titles_make_one_lot_with_one_envelope(client, settings, issue_note):
    response = post(client, {"title_number": ", ".join(PAIR)}, settings)
    assert response.status_code == 201, response.content
    content = response.json()["content"]
    shapes = [lambert(t) for t in PAIR]
    merged = shapely.union_all(shapes)
    assert content["parcel"]["title_numbers"] == PAIR and content["parcel"]["title_number"] is None
    assert content["parcel"]["area_m2"] == pytest.approx(merged.area, abs=0.05)
    assert content["parcel"]["area_on_title_m2"] == pytest.approx(
        sum(float(Parcel.objects.get(title_number=t).area_on_title_m2) for t in PAIR))
    assert sum(z["area_m2"] for z in content["zones"]) == pytest.approx(merged.area, abs=0.1)
    b = content["buildable"]
    assert sum(p["perimeter_m"] for p in b["parts"]) >= merged.length - 0.1
    singles = [issue_note(t)["content"]["buildable"] for t in PAIR]
    # One lot: no side setback along the old common limit, so more than the two lots apart.
    assert b["footprint_polygon_m2"] > sum(s["footprint_polygon_m2"] for s in singles)
    assert b["net_area_m2"] == pytest.approx(sum(s["net_area_m2"] for s in singles), abs=0.1)
    number = response.json()["number"]
    assert "Lot de 2 titres" in client.get(f"/notes/{number}").content.decode()
    assert client.get(f"/notes/{number}/envelope.glb").status_code == 200


@pytest.mark.parametrize("titles, words", [
    (["TF 10004/19", "TF 10004/19"], "TF 10004/19 given twice"),
    (["TF 10004/19", "TF 10005/19", "TF 10500/19"], "TF 10500/19 does not touch the other titles"),
    ([f"TF {n}/19" for n in range(10001, 10023)], "at most 20"),
])
def test_titles_that_make_no_lot_are_refused(client, settings, titles, words):
    response = post(client, {"title_numbers": titles}, settings)
    assert response.status_code == 400, response.content
    assert words in json.dumps(response.json(), ensure_ascii=False)
