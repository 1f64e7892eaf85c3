"""A land title's DXF extract carries the règlement applied to it: alignment, setback lines, buildable footprint."""
import datetime

import ezdxf
import pytest
import shapely

from plans.crs import transform_shapely
from plans.models import Parcel, PlanDocument
from plans.reglement import buildable

from .conftest import extract

pytestmark = pytest.mark.django_db


def test_dxf_of_a_title_has_alignment_setback_and_footprint_layers(client, tmp_path):
    title = "TF 10009/19"  # D1 villa lot on AV1 (12 m): setbacks 5 / 4 / 4 m
    response = extract(client, format="dxf", parcel=title)
    path = tmp_path / "extract.dxf"
    path.write_bytes(response.content)
    msp = ezdxf.readfile(path).modelspace()
    parcel = Parcel.objects.get(title_number=title)
    plans = PlanDocument.objects.in_force(datetime.date.today()).values_list("id", flat=True)
    expected = buildable.content_for(parcel.geom, 26191, list(plans))
    footprint = shapely.union_all([shapely.Polygon([p[:2] for p in e.get_points()])
                                   for e in msp.query('LWPOLYLINE[layer=="EMPRISE_CONSTRUCTIBLE"]')])
    assert footprint.area == pytest.approx(expected["footprint_polygon_m2"], abs=0.05)
    alignment = [shapely.LineString([p[:2] for p in e.get_points()]) for e in msp.query('LWPOLYLINE[layer=="ALIGNEMENT"]')]
    assert sum(a.length for a in alignment) == pytest.approx(sum(f["length_m"] for f in expected["frontages"]),
                                                              abs=0.05)
    assert {t.dxf.text for t in msp.query('TEXT[layer=="ALIGNEMENT"]')} == {"AV1 (12 m)"}
    setbacks = [shapely.LineString([p[:2] for p in e.get_points()]) for e in msp.query('LWPOLYLINE[layer=="RECULS"]')]
    assert setbacks
    # The road setback line runs 5 m from the alignment, the others 4 m from the side and rear limits.
    limits = transform_shapely(shapely.from_wkb(bytes(parcel.geom.wkb)), 4326, 26191).boundary
    assert min(s.distance(limits) for s in setbacks) == pytest.approx(4.0, abs=0.05)
    front = shapely.union_all(alignment)
    points = [shapely.Point(xy) for s in setbacks for xy in s.coords]
    assert sum(abs(p.distance(front) - 5.0) < 0.05 for p in points) >= 2
