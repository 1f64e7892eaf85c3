"""POST /api/notes and its refusals, against the real PostGIS sample data."""
import io
import json
import re
import zipfile

import pytest
from django.db import DatabaseError, transaction

from plans.crs import from_wgs84
from plans.models import IssuedNote, Parcel, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.NOTE_ANONYMOUS_RATE = ""


def post(client, body, **extra):
    return client.post("/api/notes", json.dumps(body), content_type="application/json", **extra)


def lambert_ring(title, srid=26191):
    geom = Parcel.objects.get(title_number=title).geom.transform(srid, clone=True)
    return [list(xy) for xy in geom[0][0].coords]


def test_note_by_title_number_is_numbered_signed_and_linked(client):
    response = post(client, {"title_number": "tf 10001-19"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"AUT-\d{4}-\d{6}", body["number"])
    assert body["content"]["parcel"]["title_number"] == "TF 10001/19"
    assert set(body["links"]) == {"html", "pdf", "verify", "json"}
    assert body["links"]["verify"].endswith(f"/verify/{body['number']}")
    second = post(client, {"title_number": "TF 10002/19"}).json()["number"]
    assert int(second[-6:]) == int(body["number"][-6:]) + 1
    assert client.get(f"/api/notes/{body['number']}").json()["content"] == body["content"]


def test_typed_lambert_coordinates_give_the_same_areas_as_the_title(client):
    by_title = post(client, {"title_number": "TF 11572/19"}).json()["content"]
    ring = lambert_ring("TF 11572/19")
    text = "\n".join(f"{x:.3f} {y:.3f}" for x, y in ring[:-1])
    by_coords = post(client, {"coordinates": text, "crs": "EPSG:26191"}).json()["content"]
    assert by_coords["parcel"]["area_m2"] == pytest.approx(by_title["parcel"]["area_m2"], abs=0.05)
    assert [z["code"] for z in by_coords["zones"]] == [z["code"] for z in by_title["zones"]]


def test_indicative_note_is_not_numbered(client):
    body = post(client, {"title_number": "TF 10003/19", "mode": "indicative"}).json()
    assert body["number"].startswith("IND-") and body["mode"] == "indicative"


@pytest.mark.parametrize("body, status, words", [
    ({"title_number": "TF 99999/19", "agency": "AUT"}, 404, "no parcel TF 99999/19 in agency AUT"),
    ({"title_number": "hello"}, 400, "not a land title"),
    ({}, 400, "title_number"),
    ({"geometry": {"type": "LineString", "coordinates": [[-5.36, 35.58], [-5.35, 35.59]]}}, 400, "no area"),
    ({"geometry": {"type": "Polygon", "coordinates": []}}, 400, "empty"),
    ({"geometry": {"type": "Polygon", "coordinates": [[[-5.36, 35.58], [-5.35, 35.58], [-5.34, 35.58],
                                                       [-5.36, 35.58]]]}}, 400, "zero area"),
    ({"geometry": {"type": "Polygon", "coordinates": [[[-5.40, 35.55], [-5.30, 35.55], [-5.30, 35.62],
                                                       [-5.40, 35.62], [-5.40, 35.55]]]}}, 400, "limited to 50 ha"),
    ({"coordinates": [[-5.3626, 35.5889], [-5.3620, 35.5889], [-5.3620, 35.5894]], "crs": "EPSG:26191"}, 400,
     "set crs to EPSG:4326"),
    ({"coordinates": [[503243, 554174], [503283, 554174], [503283, 554204]], "crs": "EPSG:4326"}, 400,
     "not lon/lat"),
    ({"coordinates": [[0, 0], [1, 0], [1, 1]], "crs": "EPSG:2154"}, 400, "crs"),
    ({"title_number": "TF 10001/19", "mode": "free"}, 400, "mode"),
])
def test_bad_input_is_refused_with_the_reason(client, body, status, words):
    before = IssuedNote.objects.count()
    response = post(client, body)
    assert response.status_code == status, response.content
    assert words in response.json()["description"]
    assert IssuedNote.objects.count() == before


def test_self_intersecting_outline_is_repaired_or_refused(client):
    x, y = from_wgs84(-5.3626, 35.5889, 26191)
    bowtie = [[x, y], [x + 30, y + 30], [x + 30, y], [x, y + 30], [x, y]]
    refused = post(client, {"coordinates": bowtie, "crs": "EPSG:26191"})
    assert refused.status_code == 400 and "crosses itself" in refused.json()["description"]
    # A tiny twisted loop on the top edge (its two segments cross at x + 20, y + 30.25): repaired, and stated.
    spike = [[x, y], [x + 40, y], [x + 40, y + 30], [x + 20.5, y + 30], [x + 19.5, y + 30.5], [x + 20.5, y + 30.5],
             [x + 19.5, y + 30], [x, y + 30], [x, y]]
    response = post(client, {"coordinates": spike, "crs": "EPSG:26191"})
    assert response.status_code == 201, response.content
    assert any(w["code"] == "repaired" for w in response.json()["content"]["warnings"])


def _upload(client, name, data, **fields):
    return client.post("/api/notes", {"file": io_named(name, data), **fields})


def io_named(name, data):
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def test_outline_files_in_each_format(client, tmp_path):
    import ezdxf
    import pyogrio
    import shapely

    ring = lambert_ring("TF 10500/19")
    parcel = Parcel.objects.get(title_number="TF 10500/19")
    expected = post(client, {"title_number": "TF 10500/19"}).json()["content"]["parcel"]["area_m2"]
    lonlat = json.loads(parcel.geom.json)
    geojson = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                                                     "geometry": lonlat}]}).encode()
    coords = " ".join(f"{lon},{lat}" for lon, lat in lonlat["coordinates"][0][0])
    kml = (f'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Polygon><outerBoundaryIs>'
           f"<LinearRing><coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
           "</kml>").encode()
    doc = ezdxf.new()
    doc.modelspace().add_lwpolyline([tuple(p) for p in ring[:-1]], close=True)
    dxf_stream = io.StringIO()
    doc.write(dxf_stream)
    shp = tmp_path / "parcel.shp"
    pyogrio.raw.write(str(shp), geometry=shapely.to_wkb([shapely.Polygon(ring)]), field_data=[], fields=[],
                      geometry_type="Polygon", crs="EPSG:26191", driver="ESRI Shapefile")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        for part in tmp_path.glob("parcel.*"):
            archive.write(part, part.name)
    for name, data in (("p.geojson", geojson), ("p.kml", kml), ("p.dxf", dxf_stream.getvalue().encode()),
                       ("p.zip", zipped.getvalue())):
        response = _upload(client, name, data)
        assert response.status_code == 201, (name, response.content)
        assert response.json()["content"]["parcel"]["area_m2"] == pytest.approx(expected, abs=0.05), name
    for name, data, words in (("p.gpx", b"<gpx/>", "unsupported format"), ("p.geojson", b"{not json", "not valid"),
                              ("p.kml", b"<kml", "could not be read"), ("p.dxf", b"0\nEOF\n", "DXF")):
        response = _upload(client, name, data)
        assert response.status_code == 400 and words in response.json()["description"], (name, response.content)


def test_anonymous_rate_limit(client, settings):
    settings.NOTE_ANONYMOUS_RATE = "2/minute"
    addr = {"REMOTE_ADDR": "198.51.100.77"}
    assert [post(client, {"title_number": "TF 10010/19"}, **addr).status_code for _ in range(3)] == [201, 201, 429]
    assert "2 notes per 1 minutes" in post(client, {"title_number": "TF 10010/19"}, **addr).json()["description"]


def test_issued_notes_are_immutable_and_survive_republication(client):
    body = post(client, {"title_number": "TF 11572/19"}).json()
    note = IssuedNote.objects.get(number=body["number"])
    # The app's database role may not even try (the trigger stops the owner: tests/test_database_roles.py).
    with pytest.raises(DatabaseError, match="permission denied for table plans_issuednote"), transaction.atomic():
        IssuedNote.objects.filter(pk=note.pk).update(content={})
    with pytest.raises(DatabaseError, match="permission denied for table plans_issuednote"), transaction.atomic():
        IssuedNote.objects.filter(pk=note.pk).delete()
    assert client.get(f"/api/notes/{note.number}/verify").json()["still_current"] is True
    zone = Zone.objects.live().filter(plan__status="approved", code=body["content"]["zones"][0]["code"],
                                      geom__intersects=note.land).first()
    zone.code = "ZX"
    zone.save()
    verify = client.get(f"/api/notes/{note.number}/verify").json()
    assert verify["authentic"] is True and verify["still_current"] is False and "zones" in verify["changed"]
    assert IssuedNote.objects.get(pk=note.pk).content == body["content"]


def test_a_hole_outside_its_shell_is_refused_not_repaired_into_other_land(client):
    """440 m² drawn with a 300 × 330 m "hole" outside it: GEOS's signed area is -98,560 m², make_valid gives
    ~99,000 m². The note must be refused, whichever sign the change has, with the GEOS reason."""
    import shapely

    from plans.note.land import drawn_area

    x, y = from_wgs84(-5.3626, 35.5889, 26191)
    shell = [[x, y], [x + 22, y], [x + 22, y + 20], [x, y + 20], [x, y]]
    hole = [[x + 200, y + 200], [x + 500, y + 200], [x + 500, y + 530], [x + 200, y + 530], [x + 200, y + 200]]

    assert drawn_area(shapely.Polygon(shell, [hole])) == pytest.approx(440 - 300 * 330)  # the oracle: by hand
    before = IssuedNote.objects.count()
    response = post(client, {"geometry": {"type": "Polygon", "coordinates": [shell, hole]}, "crs": "EPSG:26191"})
    assert response.status_code == 400, response.content
    message = response.json()["description"]
    assert "Hole lies outside shell" in message and "-98560.00 m² as drawn" in message, message
    assert IssuedNote.objects.count() == before
    # A hole inside the outline is the land as drawn: issued, for 440 - 4 m².
    inner = [[x + 5, y + 5], [x + 7, y + 5], [x + 7, y + 7], [x + 5, y + 7], [x + 5, y + 5]]
    response = post(client, {"geometry": {"type": "Polygon", "coordinates": [shell, inner]}, "crs": "EPSG:26191"})
    assert response.status_code == 201, response.content
    assert response.json()["content"]["parcel"]["area_m2"] == pytest.approx(436, abs=0.05)


@pytest.mark.parametrize("title, srid", [("TF 1001/81", 26194), ("TF 1002/83", 26195)])
def test_sahara_notes_state_the_expected_accuracy_of_the_datum_shift(client, title, srid):
    """Laâyoune (Merchich / Sahara Nord) and Dakhla (Sahara Sud): the note works in the agency's zone, its
    areas agree with typed Lambert coordinates in that zone, and it says how good the GPS positions are."""
    body = post(client, {"title_number": title})
    assert body.status_code == 201, body.content
    content = body.json()["content"]
    assert content["srid"] == srid and content["zones"]
    accuracy = [w for w in content["warnings"] if w["code"] == "datum_accuracy"]
    assert len(accuracy) == 1 and "EPSG:1166" in accuracy[0]["fr"] and "10 m" in accuracy[0]["fr"]
    text = "\n".join(f"{x:.3f} {y:.3f}" for x, y in lambert_ring(title, srid)[:-1])
    by_coords = post(client, {"coordinates": text, "crs": f"EPSG:{srid}"}).json()["content"]
    assert by_coords["parcel"]["area_m2"] == pytest.approx(content["parcel"]["area_m2"], abs=0.05)


def test_northern_notes_do_not_carry_the_sahara_accuracy_warning(client):
    content = post(client, {"title_number": "TF 10001/19"}).json()["content"]
    assert "datum_accuracy" not in {w["code"] for w in content["warnings"]}
