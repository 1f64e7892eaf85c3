"""Load a generated SampleDataset into PostGIS, idempotently.

Agencies, communes and plan versions are upserted by their natural keys;
a plan's rules, zones and servitudes and an agency's parcels are replaced as
a whole, in one transaction, so a failed load leaves the previous data in
place. Parcels go in with COPY (not ORM saves), streamed a chunk at a time from
the generator: ten million load in bounded memory (bench/README.md says how long).
"""
import itertools
import time

import numpy as np
import shapely
from django.apps import apps
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import connection, reset_queries, transaction
from tqdm import tqdm

from plans.crs import WGS84, lambert_to_storage, transform_shapely
from plans.models import Agency, Commune, DatasetLoad, Parcel, PlanDocument, PlanStatusChange, Servitude, Zone, ZoneRule
from plans.models.document import PlanStatus
from plans.models.zoning import lambert_footprint
from plans.reglement import provisions

from .rules import RULES, article_text, provisions_of

COPY_CHUNK = 20_000
# Zones and servitudes go in by batches: a 10M-parcel district has 60,000 zones a plan and roads 88 km long,
# densified every 5 m (plans.crs.lambert_to_storage): built all at once they took 20 GiB.
PLAN_BATCH = 200


def geos(geom, srid, multi=False):
    """A shapely geometry (in `srid`) as a GEOSGeometry in lon/lat."""
    if srid != WGS84:
        geom = lambert_to_storage(geom, srid)
    out = GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=WGS84)
    if multi and out.geom_type == "Polygon":
        out = MultiPolygon(out, srid=WGS84)
    return out


def load(dataset, force=False, progress=True, stdout=None):
    """Load `dataset`; skip when the same fingerprint is already loaded (unless `force`).

    Returns True when data was written.
    """
    if is_loaded(dataset.fingerprint) and not force:
        if stdout:
            stdout.write(f"sample data {dataset.fingerprint} already loaded; nothing to do (use --force to reload)")
        return False
    started = time.monotonic()
    with transaction.atomic():
        for spec in dataset.agencies:
            agency = _upsert_agency(spec)
            communes = _upsert_communes(agency, spec)
            plans = [_load_plan(agency, communes, plan) for plan in spec.plans]
            _link_versions(plans)
            _load_parcels(agency, spec, communes, progress)
        DatasetLoad.objects.update_or_create(
            name="sample", defaults={"fingerprint": dataset.fingerprint, "seconds": time.monotonic() - started}
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE plans_parcel; ANALYZE plans_zone; ANALYZE plans_servitude")
    return True


def is_loaded(fingerprint):
    """Whether the sample dataset with this fingerprint is the one in the database."""
    return DatasetLoad.objects.filter(name="sample", fingerprint=fingerprint).exists()


def _upsert_agency(spec):
    agency, _ = Agency.objects.update_or_create(
        code=spec.code,
        defaults=dict(name_fr=spec.name_fr, name_ar=spec.name_ar, srid=spec.srid, address_fr=spec.address_fr,
                      address_ar=spec.address_ar, jurisdiction=geos(spec.jurisdiction, WGS84, multi=True)),
    )
    return agency


def _upsert_communes(agency, spec):
    communes = {}
    for code, name_fr, name_ar, geom in spec.communes:
        communes[code], _ = Commune.objects.update_or_create(
            agency=agency, code=code,
            defaults=dict(name_fr=name_fr, name_ar=name_ar, geom=geos(geom, spec.srid, multi=True)),
        )
    return communes


def _load_plan(agency, communes, spec):
    fields = dict(
        kind=spec.kind, title_fr=spec.title_fr, title_ar=spec.title_ar, status=spec.status, srid=agency.srid,
        decree_reference=spec.decree_reference, decree_date=spec.decree_date, effective_date=spec.effective_date,
        expiry_date=spec.expiry_date, superseded_on=spec.superseded_on, inquiry_start=spec.inquiry_start,
        inquiry_end=spec.inquiry_end, scale_denominator=spec.scale_denominator, live_revision=1,
        perimeter=geos(spec.perimeter, agency.srid, multi=True),
    )
    plan, created = PlanDocument.objects.update_or_create(
        agency=agency, reference=spec.reference, version=spec.version, defaults=fields
    )
    plan.full_clean()
    plan.zones.all().delete()
    plan.servitudes.all().delete()
    plan.rules.all().delete()
    rules = {}
    for number, code in enumerate(spec.codes, start=10):
        fields = _rule_fields(code, number, spec.rule_overrides.get(code))
        rules[code] = ZoneRule.objects.create(plan=plan, **fields)
        provisions.replace(rules[code], provisions_of(code, fields, number))
    _bulk_create(Zone, (Zone(plan=plan, code=code, rule=rules.get(code), geom=geos(geom, agency.srid, multi=True))
                        for code, geom in spec.zones))
    _bulk_create(Servitude, (Servitude(
        plan=plan, kind=s.kind, code=s.code, label_fr=s.label_fr, label_ar=s.label_ar, width_m=s.width,
        rule_fr=s.rule_fr, rule_ar=s.rule_ar, geom=geos(s.geom, agency.srid),
        footprint=geos(lambert_footprint(s.geom, s.width), agency.srid, multi=True),
    ) for s in spec.servitudes))
    perimeter = plan.perimeter
    plan.communes.set([c for c in communes.values() if c.geom.intersects(perimeter)])
    if plan.status == PlanStatus.PUBLIC_INQUIRY:
        # Its inquiry's register exists once the plan is under inquiry (reads never make it).
        inquiry, _ = apps.get_model("inquiry", "Inquiry").objects.get_or_create(plan=plan)
        inquiry.communes.set(plan.communes.all())
    if created:
        _record_history(plan)
    return plan


def _bulk_create(model, objects):
    """Insert `objects` (an iterator) PLAN_BATCH at a time, so that only one batch is ever built in memory;
    the query log that DEBUG keeps (each INSERT with its geometries) is emptied after each batch."""
    while batch := list(itertools.islice(objects, PLAN_BATCH)):
        model.objects.bulk_create(batch)
        reset_queries()


def _rule_fields(code, article_number, overrides):
    spec = RULES[code]
    article_fr, article_ar = article_text(spec, article_number)
    road, side, rear = spec.setbacks
    fields = dict(
        code=code, label_fr=spec.label_fr, label_ar=spec.label_ar, allowed_uses=list(spec.allowed),
        forbidden_uses=list(spec.forbidden), max_height_m=spec.height, max_floors=spec.floors, cos=spec.cos,
        ces=spec.ces, min_lot_area_m2=spec.min_lot, min_frontage_m=spec.frontage, setback_road_m=road,
        setback_side_m=side, setback_rear_m=rear, parking_fr=spec.parking_fr, parking_ar=spec.parking_ar,
        article_fr=article_fr, article_ar=article_ar,
    )
    fields.update(overrides or {})
    return fields


def _record_history(plan):
    """Status history of a loaded plan, dated as the plan's own dates say."""
    steps = []
    if plan.inquiry_start or plan.decree_date:
        steps.append((PlanStatus.DRAFT, PlanStatus.PUBLIC_INQUIRY, plan.inquiry_start or plan.decree_date))
    if plan.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.EXPIRED):
        steps.append((PlanStatus.PUBLIC_INQUIRY, PlanStatus.APPROVED, plan.decree_date))
    if plan.status == PlanStatus.SUPERSEDED:
        steps.append((PlanStatus.APPROVED, PlanStatus.SUPERSEDED, plan.superseded_on))
    from datetime import datetime, time as dtime, timezone

    PlanStatusChange.objects.bulk_create(
        PlanStatusChange(plan=plan, from_status=a, to_status=b, comment="sample data",
                         changed_at=datetime.combine(day, dtime(9), tzinfo=timezone.utc))
        for a, b, day in steps
    )


def _link_versions(plans):
    for older, newer in zip(plans, plans[1:]):
        if newer.supersedes_id != older.id:
            newer.supersedes = older
            newer.save(update_fields=["supersedes"])


def _load_parcels(agency, spec, communes, progress):
    """COPY the agency's parcels a chunk at a time: memory stays flat however many there are."""
    Parcel.objects.filter(agency=agency).delete()
    columns = "agency_id, commune_id, title_number, area_on_title_m2, geom"
    for _, _, _, geom in spec.communes:
        shapely.prepare(geom)  # asked once per chunk
    with tqdm(total=spec.parcels.n, desc=f"parcels {agency.code}", unit="parcel", disable=not progress) as bar:
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY plans_parcel ({columns}) FROM STDIN") as copy:
                for titles, lambert, on_title in spec.parcel_chunks(COPY_CHUNK):
                    geoms = shapely.multipolygons(np.asarray(
                        transform_shapely(lambert, agency.srid, WGS84)).reshape(-1, 1))
                    centroids = shapely.centroid(lambert)
                    commune_ids = np.full(len(geoms), None, dtype=object)
                    for code, _, _, geom in spec.communes:
                        inside = shapely.contains_xy(geom, shapely.get_x(centroids), shapely.get_y(centroids))
                        commune_ids[inside] = communes[code].id
                    wkb = shapely.to_wkb(shapely.set_srid(geoms, WGS84), hex=True, include_srid=True)
                    for title, area, commune_id, geom_hex in zip(titles, on_title, commune_ids, wkb):
                        copy.write_row((agency.id, commune_id, str(title), float(area), geom_hex))
                    bar.update(len(wkb))
