"""The database keeps every servitude's footprint in small pieces (ServitudePiece), whoever writes it.

Oracle: PostGIS on the footprint itself (its area, its vertices), never the trigger's own SQL.
"""
import pytest
from django.contrib.gis.geos import LineString
from django.db import connection

from plans.models import PlanDocument, Servitude, ServitudePiece

pytestmark = pytest.mark.django_db


def pieces_cover(servitude_id):
    """(area of the pieces' union / the footprint's area, most vertices in one piece, number of pieces)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT ST_Area(ST_Union(k.geom)) / ST_Area(s.footprint), max(ST_NPoints(k.geom)), count(*)
            FROM plans_servitude s JOIN plans_servitude_piece k ON k.servitude_id = s.id
            WHERE s.id = %s GROUP BY s.footprint""", [servitude_id])
        return cursor.fetchone()


def test_pieces_follow_inserts_updates_and_deletes():
    plan = PlanDocument.objects.filter(status="approved", agency__srid=26191).first()
    x, y = plan.perimeter.centroid.coords
    # A winding road of 2,000 vertices: one footprint whose box covers far more than any parcel.
    line = LineString([(x + i * 1e-5, y + (i % 7) * 1e-5) for i in range(2000)], srid=4326)
    road = Servitude(plan=plan, kind="planned_road", code="RTEST", label_fr="Voie test", width_m=12, geom=line,
                     revision=plan.live_revision)
    road.save()
    share, largest, count = pieces_cover(road.id)
    assert share == pytest.approx(1, abs=1e-9) and largest <= ServitudePiece.PIECE_VERTICES and count > 10
    road.geom = LineString([(x, y), (x + 0.001, y)], srid=4326)
    road.save()
    share, largest, count = pieces_cover(road.id)
    assert share == pytest.approx(1, abs=1e-9) and count == 1
    with connection.cursor() as cursor:  # publishing deletes with SQL, not the ORM
        cursor.execute("DELETE FROM plans_servitude WHERE id = %s", [road.id])
    assert not ServitudePiece.objects.filter(servitude_id=road.id).exists()


def test_every_sample_servitude_is_covered_by_its_pieces():
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*) FROM plans_servitude s
            WHERE abs(COALESCE((SELECT ST_Area(ST_Union(k.geom)) FROM plans_servitude_piece k
                                WHERE k.servitude_id = s.id), 0) - ST_Area(s.footprint))
                  > 1e-9 * GREATEST(ST_Area(s.footprint), 1e-12)""")
        assert cursor.fetchone()[0] == 0
    assert Servitude.objects.exists()
