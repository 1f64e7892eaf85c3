"""End to end: what a publisher publishes is what the OGC API serves, at once; a rollback brings the old back."""
import mapbox_vector_tile
import pytest

from layers.publishing import publishing, uploads

from .files import zones_gpkg

pytestmark = pytest.mark.django_db
ZONE_MAPPING = {"code": "CODE", "label_fr": "LIBELLE", "cos": "COS"}
# A z15 tile over the middle of the Tétouan district.
TILE = "/ogc/collections/zones/tiles/WebMercatorQuad/15/{y}/{x}?f=mvt"


def zone_codes(client, plan):
    body = client.get("/ogc/collections/zones/items", {"f": "json", "limit": 10000, "plan_id": plan.pk}).json()
    return {f["properties"]["code"] for f in body["features"]}


def tile_codes(client, x, y):
    response = client.get(TILE.format(x=x, y=y))
    assert response.status_code == 200
    layers = mapbox_vector_tile.decode(response.content)
    return response["ETag"], {f["properties"]["code"] for f in layers.get("zones", {}).get("features", [])}


def test_published_zones_are_served_at_once_and_rollback_restores(client, publisher, aut, plan_in_force, tmp_path,
                                                                   receive, sample_dataset):
    import morecantile

    centroid = plan_in_force.perimeter.centroid
    tile = morecantile.tms.get("WebMercatorQuad").tile(centroid.x, centroid.y, 15)
    before_codes = zone_codes(client, plan_in_force)
    etag_before, tile_before = tile_codes(client, tile.x, tile.y)
    assert "B9" not in before_codes and tile_before

    path = zones_gpkg(sample_dataset, tmp_path / "z.gpkg", extra_codes=["B9"])
    upload = receive(publisher, aut, "zones", path, plan=plan_in_force)
    uploads.stage(upload)
    uploads.map_fields(upload, ZONE_MAPPING, publisher)
    uploads.validate(upload, publisher)
    publishing.publish(upload, publisher)

    assert "B9" in zone_codes(client, plan_in_force)
    etag_after, _ = tile_codes(client, tile.x, tile.y)
    assert etag_after != etag_before  # tile caches invalidated by the publish

    publishing.rollback(plan_in_force, 1, publisher)
    assert zone_codes(client, plan_in_force) == before_codes
    etag_back, tile_back = tile_codes(client, tile.x, tile.y)
    assert tile_back == tile_before and etag_back not in (etag_before, etag_after)
