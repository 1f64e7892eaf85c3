"""The server-side print map: drawn from PostGIS, checked against the generator's own shapes."""
import re
import xml.etree.ElementTree as ET

import pytest
import shapely
from shapely.geometry import box

from geoportal.core.errors import InvalidParameter
from frontend.cartography.printmap import render_print_map
from plans.models import Parcel

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _v2(sample_dataset):
    agency = sample_dataset.agencies[0]
    return agency, next(p for p in agency.plans if p.version == 2)


def test_zone_codes_drawn_are_those_of_the_plan_in_force(sample_dataset):
    agency, plan = _v2(sample_dataset)
    centre = plan.perimeter.centroid
    bbox = (centre.x - 300, centre.y - 200, centre.x + 300, centre.y + 200)
    result = render_print_map(26191, bbox, (200, 160))
    root = ET.fromstring(result.svg)
    assert root.get("width") == "200.0mm"
    shown = box(*result.bbox)
    assert shown.contains(box(*bbox))
    expected = {code for code, geom in plan.zones if geom.intersects(shown) and geom.intersection(shown).area > 0.5}
    # One legend entry per zone family: "B2, B3, B4 — Habitat continu et immeubles".
    labels = {code for t in root.iter(SVG + "text") if t.text and " — " in t.text
              for code in t.text.split(" — ")[0].split(", ")}
    assert labels == expected
    # The plan under public inquiry is never drawn: a code only v3 has must not appear.
    only_draft = {c for c, _ in next(p for p in agency.plans if p.version == 3).zones} - {c for c, _ in plan.zones}
    assert not (labels & only_draft)


def test_fixed_scale_sets_the_ground_extent_and_the_highlight_is_drawn():
    parcel = Parcel.objects.get(title_number="TF 10500/19")
    lambert = parcel.geom.transform(26191, clone=True)
    x0, y0, x1, y1 = lambert.extent
    result = render_print_map(26191, lambert.extent, (180, 140), scale=1000, highlight=parcel.geom, lang="ar")
    minx, miny, maxx, maxy = result.bbox
    assert result.scale == 1000
    assert maxx - minx == pytest.approx((180 - 18), abs=0.01)  # frame mm × 1000 / 1000
    assert minx < x0 and maxx > x1 and miny < y0 and maxy > y1
    assert 'stroke="#d40000"' in result.svg
    assert "القطعة المطلوبة" in result.svg
    ticks = [float(t.replace(" ", "")) for t in re.findall(r">(\d{3} \d{3})</text>", result.svg)]
    assert ticks and all(minx <= t <= maxy for t in ticks)


@pytest.mark.parametrize("kwargs, word", [
    (dict(srid=4326), "Lambert"),
    (dict(bbox=(10, 10, 5, 20)), "empty"),
    (dict(scale=20000), "scale"),
    (dict(paper_mm=(60, 40)), "too small"),
    (dict(lang="en"), "lang"),
])
def test_bad_arguments_are_refused_with_the_reason(kwargs, word):
    args = dict(srid=26191, bbox=(502700, 551800, 503000, 552000), paper_mm=(180, 140))
    args.update(kwargs)
    with pytest.raises(InvalidParameter, match=word):
        render_print_map(args.pop("srid"), args.pop("bbox"), args.pop("paper_mm"), **args)


def test_a_clip_that_leaves_a_line_beside_a_polygon_draws_the_polygon_only():
    """ST_ClipByBox2D of a collection keeps its line; ST_AsSVG would join the parts with ";", a path WeasyPrint
    loops on for ever. Only the polygon is drawn, as one safe path."""
    from django.contrib.gis.geos import GEOSGeometry

    from frontend.cartography import printmap_layers

    frame = printmap_layers.Frame(srid=26191, minx=0, miny=0, maxx=100, maxy=100, x0=0, y0=0, mm_per_m=1)
    shape = GEOSGeometry("SRID=26191;GEOMETRYCOLLECTION(POLYGON((10 10, 40 10, 40 40, 10 40, 10 10)),"
                         "LINESTRING(60 60, 90 90))")
    path = printmap_layers.highlight(frame, shape)
    assert path == "M 10 90 L 40 90 40 60 10 60 Z"  # the square, paper y downwards from the top at 100 m


def test_a_path_with_anything_but_moves_lines_and_numbers_is_refused_before_the_pdf():
    from frontend.cartography import printmap_layers

    with pytest.raises(ValueError, match="unexpected characters"):
        printmap_layers._rows("SELECT 'M 1 -2 L 3 -4 Z;M 5 -6 L 7 -8'", {}, 0)
    assert printmap_layers._rows("SELECT 'M 1 -2 L 3 -4 Z'", {}, 0) == [("M 1 -2 L 3 -4 Z",)]
