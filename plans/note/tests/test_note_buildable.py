"""The note says what can be built: `buildable` in the JSON, section 6 of the page and PDF, footprint on the map."""
import shutil
import subprocess

import pytest
import shapely

from frontend.cartography.printmap_layers import FOOTPRINT_STYLE
from plans.crs import transform_shapely
from plans.models import IssuedNote, Parcel
from plans.note import render

pytestmark = pytest.mark.django_db
KEYS = {"footprint", "max_footprint_m2", "max_floor_area_m2", "max_height_m", "max_floors", "frontages", "checks",
        "trace", "taken_m2", "remaining_m2"}


def test_note_json_page_pdf_and_map_show_the_buildable_envelope(issue_note, client, tmp_path):
    body = issue_note("TF 10001/19")  # 435 m² in D1, whose minimum lot is 500 m²
    b = body["content"]["buildable"]
    assert KEYS <= set(b)
    assert "below_min_lot_area" in {c["code"] for c in b["checks"]}
    parcel = Parcel.objects.get(title_number="TF 10001/19")
    land = transform_shapely(shapely.from_wkb(bytes(parcel.geom.wkb)), 4326, 26191)
    footprint = shapely.geometry.shape(b["footprint_lambert"])
    assert footprint.area == pytest.approx(b["footprint_polygon_m2"], abs=0.05)  # vertices rounded to the cm
    assert land.buffer(0.01).contains(footprint) and 0 < footprint.area < land.area
    lonlat = transform_shapely(shapely.geometry.shape(b["footprint"]), 4326, 26191)
    assert lonlat.hausdorff_distance(footprint) < 0.02  # the same polygon in both CRSs, to the cm
    assert b["max_footprint_m2"] == pytest.approx(min(footprint.area, 0.3 * b["net_area_m2"]), abs=0.01)
    assert {t["figure"] for t in b["trace"]} >= {"max_height_m", "max_footprint_m2", "max_floor_area_m2", "cos"}

    page = client.get(f"/notes/{body['number']}").content.decode()
    assert "Constructibilité" in page and "قابلية البناء" in page and "inférieure au minimum de 500" in page
    note = IssuedNote.objects.get(number=body["number"])
    svg = render.draw_map(note)
    assert FOOTPRINT_STYLE in svg and "Emprise constructible" in svg
    pdf = render.render_pdf(note, svg)
    (tmp_path / "n.pdf").write_bytes(pdf)
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: run `make system` (geoportal/bin/setup-system.sh installs it)")
    text = subprocess.run([tool, "-layout", str(tmp_path / "n.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Constructibilité" in text and "Surface de plancher maximale" in text
    assert "inférieure au minimum de 500" in " ".join(text.split())
