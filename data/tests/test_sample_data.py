"""The sample data generator and loader: deterministic, realistic, idempotent, exact."""
import hashlib
import re

import numpy as np
import pytest
import shapely
from django.db import connection

from data import generator, loader
from plans.models import Agency, Parcel, PlanDocument, Servitude, Zone


def digest(dataset):
    h = hashlib.sha256()
    for agency in dataset.agencies:
        h.update(b"".join(shapely.to_wkb(agency.parcel_geoms)))
        h.update("".join(agency.parcel_titles).encode())
        for plan in agency.plans:
            for code, geom in plan.zones:
                h.update(code.encode() + shapely.to_wkb(geom))
            for s in plan.servitudes:
                h.update(s.code.encode() + shapely.to_wkb(s.geom))
    return h.hexdigest()


def test_generator_is_deterministic():
    assert digest(generator.generate(parcels=800)) == digest(generator.generate(parcels=800))
    assert digest(generator.generate(parcels=800)) != digest(generator.generate(parcels=800, seed=7))


def test_generator_scales_and_keeps_lots_valid_and_disjoint():
    dataset = generator.generate(parcels=20_000)
    geoms = dataset.agencies[0].parcel_geoms
    assert len(geoms) == 20_000
    assert shapely.is_valid(geoms).all()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="overlaps")
    # Lots of facing rows meet in T-junctions: after rotation into Lambert the
    # only overlaps left are floating-point noise, far below a square millimetre.
    overlap = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    assert overlap.max(initial=0) < 1e-6


@pytest.mark.django_db
def test_sample_plan_is_realistic():
    plan = PlanDocument.objects.get(agency__code="AUT", reference="pa-tetouan-centre", version=2)
    assert plan.status == "approved" and plan.srid == 26191
    zones = Zone.objects.filter(plan=plan)
    assert zones.count() >= 15
    assert zones.values("code").distinct().count() >= 8
    assert not zones.filter(rule__isnull=True).exists()
    servitudes = Servitude.objects.filter(plan=plan)
    assert servitudes.filter(kind="equipment").count() >= 10
    assert servitudes.filter(kind__in=["road_widening", "planned_road"]).count() >= 2
    assert servitudes.exclude(kind__in=["road", "road_widening", "planned_road", "equipment"]).count() >= 3
    assert Parcel.objects.filter(agency__code="AUT").count() >= 5000
    statuses = set(PlanDocument.objects.filter(reference="pa-tetouan-centre").values_list("status", flat=True))
    assert statuses == {"superseded", "approved", "public_inquiry"}
    south = Agency.objects.get(code="AUG")
    assert south.srid == 26192 and PlanDocument.objects.filter(agency=south, status="approved").exists()


@pytest.mark.django_db
def test_sample_lies_inside_its_agencies_and_zones_tile_the_plan():
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*) FROM plans_parcel p JOIN plans_agency a ON a.id = p.agency_id
            WHERE NOT ST_Within(p.geom, a.jurisdiction)""")
        assert cursor.fetchone()[0] == 0
        cursor.execute("""
            SELECT abs(ST_Area(ST_Transform(pl.perimeter, pl.srid))
                       - (SELECT sum(ST_Area(ST_Transform(z.geom, pl.srid))) FROM plans_zone z WHERE z.plan_id = pl.id))
            FROM plans_plandocument pl""")
        for (gap_or_overlap,) in cursor.fetchall():
            assert gap_or_overlap < 1.0  # m²


@pytest.mark.django_db
def test_loader_is_idempotent(sample_dataset):
    before = (Parcel.objects.count(), Zone.objects.count(), Servitude.objects.count(),
              list(PlanDocument.objects.values_list("id", flat=True)))
    assert loader.load(sample_dataset, progress=False) is False  # same fingerprint: nothing to do
    assert loader.load(sample_dataset, force=True, progress=False) is True
    after = (Parcel.objects.count(), Zone.objects.count(), Servitude.objects.count(),
             list(PlanDocument.objects.values_list("id", flat=True)))
    assert after == before


@pytest.mark.django_db
def test_parcel_areas_in_lambert_match_shapely_to_the_square_centimetre(sample_dataset):
    tetouan = sample_dataset.agencies[0]
    rng = np.random.default_rng(1)
    picks = rng.choice(len(tetouan.parcel_titles), size=200, replace=False)
    expected = {str(tetouan.parcel_titles[i]): shapely.area(tetouan.parcel_geoms[i]) for i in picks}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title_number, ST_Area(ST_Transform(geom, 26191)) FROM plans_parcel "
            "WHERE agency_id = (SELECT id FROM plans_agency WHERE code = 'AUT') AND title_number = ANY(%s)",
            [list(expected)],
        )
        rows = dict(cursor.fetchall())
    assert len(rows) == 200
    for title, area in rows.items():
        assert abs(area - expected[title]) < 0.01, (title, area, expected[title])


@pytest.mark.django_db
def test_line_servitude_footprints_are_exact_in_lambert(sample_dataset):
    plan = next(p for p in sample_dataset.agencies[0].plans if p.version == 2)
    lines = [s for s in plan.servitudes if s.width and s.geom.geom_type == "LineString"]
    expected = {s.code: s.geom.buffer(s.width / 2, cap_style="flat").area for s in lines}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.code, ST_Area(ST_Transform(s.footprint, 26191)) FROM plans_servitude s "
            "JOIN plans_plandocument p ON p.id = s.plan_id "
            "WHERE p.reference = 'pa-tetouan-centre' AND p.version = 2 AND s.code = ANY(%s)",
            [list(expected)],
        )
        rows = dict(cursor.fetchall())
    assert set(rows) == set(expected)
    for code, area in rows.items():
        assert abs(area - expected[code]) < 0.01, (code, area, expected[code])


@pytest.mark.django_db
def test_command_skips_a_loaded_dataset_without_generating_it(monkeypatch):
    import io

    from django.core.management import call_command

    def must_not_generate(**kwargs):
        raise AssertionError("the dataset was generated although it is loaded")

    monkeypatch.setattr(generator, "generate", must_not_generate)
    out = io.StringIO()
    call_command("load_sample_data", stdout=out)
    assert "already loaded; nothing to do" in out.getvalue()


def test_streamed_parcels_are_the_district_drawn_whole():
    """Parcels are drawn a chunk at a time from saved positions of the random stream: whatever the chunk size,
    they are the parcels the generator drew in one go before it streamed (digest pinned from that version)."""
    dataset = generator.generate(parcels=5000)
    h = hashlib.sha256()
    for agency in dataset.agencies:
        h.update(np.round(shapely.get_coordinates(agency.parcel_geoms), 3).tobytes())
        h.update("".join(agency.parcel_titles).encode())
        h.update(np.asarray(agency.parcel_area_on_title, dtype="<f8").tobytes())
    assert h.hexdigest() == "0301a32be47dfa0561adbb995b92fbbc9bae0517967460260f7dc590d2237e76"
    tetouan = dataset.agencies[0]
    for size in (97, 1000, 100_000):
        titles, geoms, areas = (np.concatenate(part) for part in zip(*tetouan.parcel_chunks(size)))
        assert list(titles) == list(tetouan.parcel_titles)
        assert shapely.equals_exact(geoms, tetouan.parcel_geoms, 0).all()
        assert (areas == tetouan.parcel_area_on_title).all()
        assert max(len(chunk[0]) for chunk in tetouan.parcel_chunks(size)) <= max(size, 16)


def test_streaming_parcels_takes_memory_of_one_chunk():
    """Drawing 400,000 parcels 20,000 at a time allocates a fraction of what holding them all does."""
    import tracemalloc

    tetouan = generator.generate(parcels=400_000).agencies[0]
    tracemalloc.start()
    try:
        for titles, geoms, areas in tetouan.parcel_chunks(20_000):
            pass
        streamed = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        whole = [chunk for chunk in tetouan.parcel_chunks(20_000)]
        held = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sum(len(c[0]) for c in whole) == 400_000
    assert streamed < held / 5, (streamed, held)


@pytest.mark.django_db
def test_command_reports_its_time_and_peak_memory():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_sample_data", "--parcels", "300", "--no-progress", stdout=out)
    assert re.search(r"Loaded v\d+-seed\d+-parcels300 in [\d.]+ s, peak memory \d+ MiB", out.getvalue())
    assert Parcel.objects.filter(agency__code="AUT").count() == 300
    with pytest.raises(Exception, match="choose between 100 and 10,000,000"):
        call_command("load_sample_data", "--parcels", "10000001")


def test_sample_draft_is_under_public_inquiry_on_the_day_it_is_loaded(sample_dataset, db):
    """The demo always has an inquiry to show: the draft's month of inquiry is around the load day, read back
    through the SQL rule every public endpoint uses (plan_under_inquiry)."""
    import datetime

    dataset = generator.generate(parcels=200, today=datetime.date(2031, 5, 20))
    [draft] = [p for a in dataset.agencies for p in a.plans if p.status == "public_inquiry"]
    assert draft.inquiry_start < datetime.date(2031, 5, 20) < draft.inquiry_end
    assert (draft.inquiry_end - draft.inquiry_start).days == 30
    assert PlanDocument.objects.under_inquiry().filter(reference="pa-tetouan-centre", version=3).exists()
