"""The note's zone and servitude areas against shapely on the generator's own Lambert shapes (an independent oracle)."""
import datetime
from collections import defaultdict

import numpy as np
import pytest
import shapely

from plans.note.content import compute
from plans.note.land import identify

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 11, 23)


def _oracle_layers(plan):
    zones = defaultdict(list)
    for code, geom in plan.zones:
        zones[code].append(geom)
    servitudes = []
    for s in plan.servitudes:
        footprint = s.geom if s.geom.geom_type in ("Polygon", "MultiPolygon") else s.geom.buffer(
            s.width / 2, cap_style="flat")
        servitudes.append((s.kind, s.code, footprint))
    return zones, servitudes


def test_zone_and_servitude_areas_match_shapely_for_200_random_parcels(sample_dataset):
    rng = np.random.default_rng(5)
    checked = 0
    for agency, count in zip(sample_dataset.agencies, (170, 30)):
        plan = next(p for p in agency.plans if p.status == "approved")
        zones, servitudes = _oracle_layers(plan)
        for i in rng.choice(len(agency.parcel_titles), size=count, replace=False):
            parcel = agency.parcel_geoms[i]
            content = compute(identify({"title_number": str(agency.parcel_titles[i])}), ON)
            area = parcel.area
            assert content["parcel"]["area_m2"] == pytest.approx(area, abs=0.01)
            tol = content["tolerances"]
            kept = lambda piece: piece >= tol["sliver_m2"] or piece / area >= tol["sliver_share"]  # noqa: E731
            expected = {code: sum(shapely.intersection(g, parcel).area for g in geoms) for code, geoms in zones.items()}
            expected = {code: a for code, a in expected.items() if a > 0 and kept(a)}
            got = {z["code"]: z["area_m2"] for z in content["zones"]}
            assert set(got) == set(expected), agency.parcel_titles[i]
            for code, a in expected.items():
                assert got[code] == pytest.approx(a, abs=0.01), (agency.parcel_titles[i], code)
                share = next(z["share"] for z in content["zones"] if z["code"] == code)
                assert share == pytest.approx(a / area, abs=1e-5)
            expected_s = sorted((kind, code, round(shapely.intersection(f, parcel).area, 2))
                                for kind, code, f in servitudes
                                if f.intersects(parcel) and kept(shapely.intersection(f, parcel).area))
            got_s = sorted((s["kind"], s["code"], s["area_m2"]) for s in content["servitudes"])
            assert [g[:2] for g in got_s] == [e[:2] for e in expected_s], agency.parcel_titles[i]
            for g, e in zip(got_s, expected_s):
                # Both sides are rounded to the cm² before comparing.
                assert g[2] == pytest.approx(e[2], abs=0.011), (agency.parcel_titles[i], g, e)
            checked += 1
    assert checked == 200
