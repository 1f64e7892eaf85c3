"""QGIS 3.22 (Debian python3-qgis, headless) on /ogc against the live server: the OAPIF layer from the URL a user
pastes (`http://host/ogc`, no trailing slash), a date filter QGIS sends to the server (`datetime=`), a spatial
filter, and the vector tile layer from our WebMercatorQuad tiles, drawn.

QGIS runs in its own process (qgis_ogc_client.py); the oracles are the ORM and the database's own geometry.
"""
from collections import Counter
from pathlib import Path

import pytest

from layers.ows.tests.test_ows_clients import current_zones, interior_square
from layers.ows.tests.test_qgis_clients import run_qgis
from plans.models import PlanDocument

from .test_ogc_items import box

pytestmark = pytest.mark.django_db
CLIENT = Path(__file__).with_name("qgis_ogc_client.py")
RED, BLUE = [255, 0, 0], [0, 0, 255]


def pairs(zones):
    return Counter((plan_id, code) for plan_id, code in zones.values_list("plan_id", "code"))


def test_qgis_reads_features_filters_on_the_server_and_draws_the_vector_tiles(live_server_url, live_server_log):
    day = min(PlanDocument.objects.in_force().values_list("effective_date", flat=True))  # the oldest plan in force
    zone = current_zones().order_by("id").first()
    minx, miny, maxx, maxy = zone.geom.extent
    lonlat_box = (minx, miny, minx + (maxx - minx) / 3, miny + (maxy - miny) / 3)
    _, code, inside = interior_square(3857, 26191)
    _, other_code, other = interior_square(3857, 26191, other_than_code=code)
    answer = run_qgis(live_server_url, day.isoformat(), ",".join(map(str, lonlat_box)), code,
                      ",".join(map(str, inside)), ",".join(map(str, other)), client=CLIENT)

    assert answer["oapif_valid"], answer.get("oapif_error")
    assert Counter(map(tuple, answer["oapif_ids"])) == pairs(current_zones())
    assert Counter(map(tuple, answer["oapif_bbox_ids"])) == pairs(current_zones().filter(geom__bboverlaps=box(*lonlat_box)))
    # The layer filter "effective_date" <= day: QGIS 3.22 asks the server for datetime=0000-01-01T00:00:00Z/day.
    assert answer["oapif_dated_valid"]
    dated = current_zones().filter(plan__effective_date__lte=day)
    assert dated.exists() and dated.count() < current_zones().count()
    assert Counter(map(tuple, answer["oapif_dated_ids"])) == pairs(dated)
    log = live_server_log.read_text()
    assert f"datetime=0000-01-01T00:00:00Z%2F{day.isoformat()}" in log, "QGIS filtered on the server"
    assert '"GET /ogc HTTP/1.1" 200' in log  # the landing page QGIS asked for, without the slash

    assert answer["tiles_valid"]
    assert answer["tiles_pixels"] == [RED, BLUE], (code, other_code)
    assert "/ogc/collections/zones/tiles/WebMercatorQuad/" in log

