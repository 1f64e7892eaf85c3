"""Legal status decides what /ogc/ shows: drafts and inquiries nowhere public, history apart, records."""
import datetime
import json

import mapbox_vector_tile
import morecantile
import pytest
from django.test import Client
from django.utils import timezone

from plans.models import PlanDocument, Servitude, Zone

pytestmark = pytest.mark.django_db
MERCATOR = morecantile.tms.get("WebMercatorQuad")
PUBLIC_COLLECTIONS = ("zones", "servitudes", "roads", "equipment", "plans", "zones-history", "servitudes-history")


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def _all_ids(client, collection, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return {f["id"] for f in _json(client, f"/ogc/collections/{collection}/items?limit=10000&{query}")["features"]}


def _tile_ids(client, collection, lon, lat, zooms=(12, 14, 16)):
    ids = set()
    for z in zooms:
        tile = MERCATOR.tile(lon, lat, z)
        response = client.get(f"/ogc/collections/{collection}/tiles/WebMercatorQuad/{z}/{tile.y}/{tile.x}?f=mvt")
        assert response.status_code == 200
        for layer in mapbox_vector_tile.decode(response.content).values():
            ids |= {f["id"] for f in layer["features"]}
    return ids


def _make_draft(plan):
    """A draft copy of `plan` (a new version) with one zone and one servitude."""
    draft = PlanDocument.objects.create(
        agency=plan.agency, reference=plan.reference, version=99, kind=plan.kind, title_fr="Projet",
        title_ar="مشروع", status=PlanDocument.Status.DRAFT, srid=plan.srid, perimeter=plan.perimeter)
    zone = Zone.objects.create(plan=draft, code="DRAFT1", geom=plan.zones.first().geom)
    servitude = plan.servitudes.filter(kind="equipment").first()
    servitude.pk, servitude.plan, servitude.code = None, draft, "M99"
    servitude.save()
    return draft, zone, servitude


def test_drafts_and_closed_inquiries_appear_on_no_public_endpoint():
    client = Client()
    inquiry = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    assert inquiry.status == PlanDocument.Status.PUBLIC_INQUIRY
    # Its inquiry closed yesterday (plans/inquiry/tests: what is public while it is open).
    inquiry.inquiry_end = timezone.localdate() - datetime.timedelta(days=1)
    inquiry.save(update_fields=["inquiry_end"])
    draft, draft_zone, draft_servitude = _make_draft(PlanDocument.objects.get(reference="pa-tetouan-centre", version=2))
    hidden_plans = {inquiry.id, draft.id}
    hidden_zones = set(Zone.objects.filter(plan__in=hidden_plans).values_list("id", flat=True))
    hidden_servitudes = set(Servitude.objects.filter(plan__in=hidden_plans).values_list("id", flat=True))
    assert draft_zone.id in hidden_zones and draft_servitude.id in hidden_servitudes

    for collection in PUBLIC_COLLECTIONS:
        ids = _all_ids(client, collection)
        hidden = hidden_plans if collection == "plans" else (
            hidden_zones if collection.startswith("zones") else hidden_servitudes)
        assert not ids & hidden, f"{collection} serves rows of a draft or an inquiry"
    for zone_id in list(hidden_zones)[:5]:
        for collection in ("zones", "zones-history"):
            assert client.get(f"/ogc/collections/{collection}/items/{zone_id}").status_code == 404
    zone_point, equipment_point = draft_zone.geom.point_on_surface, draft_servitude.footprint.point_on_surface
    for collection, hidden, point in (
            ("zones", hidden_zones, zone_point), ("zones-history", hidden_zones, zone_point),
            ("equipment", hidden_servitudes, equipment_point),
            ("servitudes-history", hidden_servitudes, equipment_point)):
        shown = _tile_ids(client, collection, point.x, point.y)
        assert shown, f"{collection} tiles over the plan are empty: the check would prove nothing"
        assert not shown & hidden, f"{collection} tiles serve rows of a draft or an inquiry"
    records = _all_ids(client, "catalogue")
    assert not records & hidden_plans
    assert client.get(f"/ogc/collections/catalogue/items/{inquiry.id}").status_code == 404
    for collection in ("zones-inquiry", "servitudes-inquiry"):
        assert not _all_ids(client, collection), f"{collection} serves a draft whose inquiry is closed"


def test_history_is_apart_from_current_layers():
    client = Client()
    old = PlanDocument.objects.get(reference="pa-tetouan-centre", version=1)
    old_zones = set(Zone.objects.live().filter(plan=old).values_list("id", flat=True))
    assert old_zones and old.status == PlanDocument.Status.SUPERSEDED
    assert not _all_ids(client, "zones") & old_zones
    history = _json(client, "/ogc/collections/zones-history/items?limit=10000")["features"]
    assert {f["id"] for f in history} == old_zones
    assert {f["properties"]["plan_version"] for f in history} == {1}
    assert history[0]["properties"]["superseded_on"] == old.superseded_on.isoformat()


def test_catalogue_records_carry_plan_metadata_and_links():
    client = Client()
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=2)
    record = _json(client, f"/ogc/collections/catalogue/items/{plan.id}?f=json")
    props = record["properties"]
    assert props["title"] == plan.title_fr and props["title_ar"] == plan.title_ar
    assert props["decree_reference"] == plan.decree_reference and props["status"] == "approved"
    assert props["effective_date"] == plan.effective_date.isoformat() and props["kind"] == plan.kind
    assert record["geometry"]["type"] == "MultiPolygon"
    hrefs = [link["href"] for link in record["links"]]
    assert any(f"/collections/zones/items?plan_id={plan.id}" in href for href in hrefs)
    # Following the link gives exactly this plan's current zones.
    zones = _all_ids(client, "zones", plan_id=plan.id)
    assert zones == set(Zone.objects.live().filter(plan=plan).values_list("id", flat=True))
    listed = _all_ids(client, "catalogue")
    today = timezone.localdate()
    open_inquiries = {p.id for p in PlanDocument.objects.filter(status="public_inquiry")
                      if p.inquiry_start and p.inquiry_end and p.inquiry_start <= today <= p.inquiry_end}
    assert listed == set(PlanDocument.objects.filter(status__in=("approved", "superseded", "expired"))
                         .values_list("id", flat=True)) | open_inquiries
