"""The layer registry: every collection the OGC API can serve, and which are published.

A Layer names its public SQL view (created by the layers migrations, latest 0004_views_plan_in_force), its properties
(OGC queryables, in French as on the plans), the properties its vector
tiles carry, and the base tables whose data versions (plans.versions) make
its ETags. Publication flags live in LayerPublication; the set of published
layers is cached per process and keyed on that table's data version, so a
publish or unpublish is seen by every worker on its next request.

Geometries are served from EPSG:4326 storage; Lambert (EPSG:26191/26192)
and Web Mercator are produced by PostGIS on request.
"""
from dataclasses import dataclass, field

from geoportal.core.errors import NotFound
from layers.models import LayerPublication
from plans.versions import data_version

PUBLICATION_TABLE = "layers_layerpublication"

PLAN_TABLES = ("plans_plandocument", "plans_agency")
ZONE_TABLES = ("plans_zone", "plans_zonerule") + PLAN_TABLES
SERVITUDE_TABLES = ("plans_servitude",) + PLAN_TABLES

S, I, N, D, A = "string", "integer", "number", "date", "array"

ZONE_PROPERTIES = {
    "code": S, "label_fr": S, "label_ar": S, "max_height_m": N, "max_floors": I, "cos": N, "ces": N,
    "min_lot_area_m2": I, "min_frontage_m": N, "setback_road_m": N, "setback_side_m": N, "setback_rear_m": N,
    "allowed_uses": A, "forbidden_uses": A, "parking_fr": S, "parking_ar": S,
    "plan_id": I, "plan_reference": S, "plan_version": I, "plan_title_fr": S, "plan_title_ar": S,
    "plan_status": S, "decree_reference": S, "decree_date": D, "effective_date": D, "expiry_date": D,
    "superseded_on": D, "agency_code": S,
}
SERVITUDE_PROPERTIES = {
    "kind": S, "code": S, "label_fr": S, "label_ar": S, "width_m": N, "rule_fr": S, "rule_ar": S,
    "plan_id": I, "plan_reference": S, "plan_version": I, "plan_status": S, "decree_reference": S,
    "effective_date": D, "expiry_date": D, "superseded_on": D, "agency_code": S,
}
PLAN_PROPERTIES = {
    "reference": S, "version": I, "kind": S, "title_fr": S, "title_ar": S, "status": S,
    "decree_reference": S, "decree_date": D, "effective_date": D, "expiry_date": D,
    "scale_denominator": I, "official_srid": I, "agency_code": S,
}
# What marks a draft under public inquiry as not binding (layers migration 0006): its dates, binding=false, and
# the notice in French and Arabic (plans.vocabulary.DRAFT_NOTICE_FR/AR).
B = "boolean"
DRAFT_MARKS = {"inquiry_start": D, "inquiry_end": D, "binding": B, "notice_fr": S, "notice_ar": S}
CHANGE_PROPERTIES = {
    "subject": S, "change": S, "kind": S, "code_before": S, "code_after": S, "label_fr": S, "label_ar": S,
    "area_m2": N, "plan_before_id": I, "plan_id": I, "plan_reference": S, "agency_code": S, **DRAFT_MARKS,
}
RECORD_PROPERTIES = dict(PLAN_PROPERTIES, legal_state=S, superseded_on=D, agency_name_fr=S, agency_name_ar=S,
                         attachments=A, **DRAFT_MARKS)


@dataclass(frozen=True)
class Layer:
    """One collection of the OGC API."""

    id: str
    view: str
    title_fr: str
    title_ar: str
    description: str
    properties: dict
    source_tables: tuple
    tile_properties: tuple = ("code", "kind", "label_fr")
    min_zoom: int = 0
    geometry_type: str = "MultiPolygon"
    item_type: str = "feature"
    title_field: str = "code"
    keywords: tuple = field(default=())
    # A large table (up to millions of rows): numberMatched of an unfiltered page is the planner's estimate of
    # this base table, and filtered counts stop at layers.serving.layer_queries.count_cap.
    estimate_table: str = None

    @property
    def queryables(self):
        return tuple(self.properties)


# The plan versions of the past of each current layer, for history by date (/ows `date=`): its "-history" layer,
# and the servitude kinds that layer shows (as the views of layers migration 0001 split them).
ROAD_KINDS = ("road", "planned_road", "road_widening")
EQUIPMENT_KINDS = ("equipment",)
PAST_VERSIONS = {
    "zones": ("zones-history", None),
    "servitudes": ("servitudes-history", ("NOT IN", ROAD_KINDS + EQUIPMENT_KINDS)),
    "roads": ("servitudes-history", ("IN", ROAD_KINDS)),
    "equipment": ("servitudes-history", ("IN", EQUIPMENT_KINDS)),
}


LAYERS = (
    Layer("zones", "ogc_zones", "Zones des plans en vigueur", "مناطق تصاميم التهيئة السارية",
          "Zones of the approved plans in force today, each with its rule (uses, height, floors, COS, CES, "
          "minimum lot, setbacks) and the plan that fixes it.", ZONE_PROPERTIES, ZONE_TABLES,
          tile_properties=("code", "label_fr", "label_ar", "max_height_m", "max_floors", "plan_id"),
          keywords=("zonage", "plan d'aménagement")),
    Layer("servitudes", "ogc_servitudes", "Servitudes", "الارتفاقات",
          "Servitudes of the plans in force (heritage, flood zones, power lines, non aedificandi…), "
          "as the ground area they cover; roads and equipment reservations are their own collections.",
          SERVITUDE_PROPERTIES, SERVITUDE_TABLES, tile_properties=("kind", "code", "label_fr", "plan_id")),
    Layer("roads", "ogc_roads", "Voirie et voies projetées", "الطرق والطرق المبرمجة",
          "Existing roads, planned roads and road widenings of the plans in force, as ground footprints "
          "(lines buffered by their planned width in the plan's Lambert CRS).",
          SERVITUDE_PROPERTIES, SERVITUDE_TABLES, tile_properties=("kind", "code", "label_fr", "width_m", "plan_id")),
    Layer("equipment", "ogc_equipment", "Réservations d'équipements publics", "تخصيصات التجهيزات العمومية",
          "Public equipment reservations (school, mosque, health, sport…) of the plans in force.",
          SERVITUDE_PROPERTIES, SERVITUDE_TABLES, tile_properties=("kind", "code", "label_fr", "label_ar", "plan_id")),
    Layer("parcels", "ogc_parcels", "Parcelles foncières", "العقارات",
          "Land parcels with their title (titre foncier) or requisition number and the area on the title (m²).",
          {"title_number": S, "area_on_title_m2": N, "commune": S, "commune_code": S, "agency_code": S},
          ("plans_parcel", "plans_commune", "plans_agency"), tile_properties=("title_number", "area_on_title_m2"),
          min_zoom=15, title_field="title_number", estimate_table="plans_parcel"),
    Layer("plans", "ogc_plans", "Périmètres des plans en vigueur", "حدود التصاميم السارية",
          "Perimeters of the planning documents in force, with kind, title, decree and dates.",
          PLAN_PROPERTIES, PLAN_TABLES, tile_properties=("reference", "kind", "title_fr", "title_ar", "version"),
          title_field="title_fr"),
    Layer("agencies", "ogc_agencies", "Agences urbaines", "الوكالات الحضرية",
          "Territories of the urban agencies, with their official Lambert CRS.",
          {"code": S, "name_fr": S, "name_ar": S, "official_srid": I}, ("plans_agency",),
          tile_properties=("code", "name_fr", "name_ar"), title_field="name_fr"),
    Layer("communes", "ogc_communes", "Communes", "الجماعات",
          "Communes (territorial collectivities) and the agency that covers each.",
          {"code": S, "name_fr": S, "name_ar": S, "agency_code": S}, ("plans_commune", "plans_agency"),
          tile_properties=("code", "name_fr", "name_ar", "agency_code"), title_field="name_fr"),
    Layer("zones-history", "ogc_zones_history", "Zones des versions remplacées ou expirées",
          "مناطق الصيغ الملغاة أو المنتهية",
          "Zones of superseded or expired plan versions, with the plan version and its dates; never mixed "
          "into the current zones.", ZONE_PROPERTIES, ZONE_TABLES,
          tile_properties=("code", "label_fr", "plan_id", "plan_version")),
    Layer("servitudes-history", "ogc_servitudes_history", "Servitudes des versions remplacées ou expirées",
          "ارتفاقات الصيغ الملغاة أو المنتهية",
          "Servitudes, roads and reservations of superseded or expired plan versions.",
          SERVITUDE_PROPERTIES, SERVITUDE_TABLES, tile_properties=("kind", "code", "label_fr", "plan_id")),
    Layer("zones-inquiry", "ogc_zones_inquiry", "Zones des projets en enquête publique (sans valeur juridique)",
          "مناطق المشاريع قيد البحث العمومي (بدون قوة قانونية)",
          "Zones of draft plans while their public inquiry is open (between its dates), for consultation only: "
          "a draft binds nobody (binding=false); notes and permits follow the plan in force.",
          dict(ZONE_PROPERTIES, **DRAFT_MARKS), ZONE_TABLES,
          tile_properties=("code", "label_fr", "plan_id", "plan_version", "binding")),
    Layer("servitudes-inquiry", "ogc_servitudes_inquiry",
          "Servitudes, voirie et réservations des projets en enquête publique (sans valeur juridique)",
          "ارتفاقات وطرق وتخصيصات المشاريع قيد البحث العمومي (بدون قوة قانونية)",
          "Servitudes, roads, widenings and equipment reservations of draft plans while their public inquiry "
          "is open, for consultation only: a draft binds nobody (binding=false).",
          dict(SERVITUDE_PROPERTIES, **DRAFT_MARKS), SERVITUDE_TABLES,
          tile_properties=("kind", "code", "label_fr", "plan_id", "binding")),
    Layer("changes-inquiry", "ogc_changes_inquiry", "Ce que change le projet en enquête publique (sans valeur juridique)",
          "ما يغيره المشروع قيد البحث العمومي (بدون قوة قانونية)",
          "What each draft under an open public inquiry changes against the plan in force: land whose zone code "
          "changes (code_before -> code_after), servitudes, roads and reservations added, removed or changed; "
          "area_m2 in the plan's Lambert CRS. A draft binds nobody (binding=false).",
          CHANGE_PROPERTIES, ZONE_TABLES + ("plans_servitude",),
          tile_properties=("subject", "change", "kind", "code_before", "code_after", "plan_id"),
          title_field="change"),
    Layer("observations", "ogc_observations", "Observations de l'enquête publique", "ملاحظات البحث العمومي",
          "Observations on drafts under public inquiry, as published by the agency (moderated text, theme, "
          "article, answer, co-signatures), pinned to a point, a parcel or an area; never a name or an e-mail.",
          {"number": S, "position": I, "theme": S, "article": S, "text": S, "filed_on": D, "answer": S,
           "group_title": S, "cosignatures": I, "plan_id": I, "plan_reference": S, "plan_version": I,
           "agency_code": S, "commune": S},
          ("inquiry_observation", "inquiry_observationgroup", "inquiry_cosignature") + PLAN_TABLES,
          tile_properties=("number", "theme", "plan_id"), geometry_type="Geometry", title_field="number"),
    Layer("catalogue", "ogc_plan_records", "Catalogue des documents d'urbanisme", "فهرس وثائق التعمير",
          "Every approved planning document (in force or past), and drafts while their public inquiry is open "
          "(legal_state=inquiry, binding=false): title FR/AR, kind, status, decree, dates, extent, links to "
          "its layers, regulation and scanned sheets.", RECORD_PROPERTIES,
          PLAN_TABLES + ("plans_planattachment",), item_type="record", title_field="title_fr"),
)
# Drafts under public inquiry: served only between the inquiry's dates (the views say so), marked not binding.
INQUIRY_LAYERS = ("zones-inquiry", "servitudes-inquiry", "changes-inquiry")


def configured_layers():
    """Layers this deployment may serve."""
    return LAYERS


def registry_version():
    """Data version of the publication flags: changes on every publish/unpublish."""
    return data_version((PUBLICATION_TABLE,))


_published = {}


def published_layers(version=None):
    """{collection id: Layer} of the layers served now, cached per registry version."""
    version = version or registry_version()
    key = version
    if key not in _published:
        hidden = set(LayerPublication.objects.filter(published=False).values_list("collection", flat=True))
        _published.clear()
        _published[key] = {layer.id: layer for layer in configured_layers() if layer.id not in hidden}
    return _published[key]


def get_layer(collection_id, item_type=None, version=None):
    """The published Layer `collection_id`, or NotFound naming it and the collections that exist.

    `version`: the registry version when the caller already read it (saves a query).
    """
    layers = published_layers(version)
    layer = layers.get(collection_id)
    if layer is None or (item_type and layer.item_type != item_type):
        names = ", ".join(sorted(k for k, v in layers.items() if not item_type or v.item_type == item_type))
        raise NotFound(f"collection {collection_id!r} does not exist or is not published; available: {names}",
                       parameter="collectionId")
    return layer


def defined_layer(collection_id, item_type=None):
    """The Layer `collection_id` as configured, published or not (no query): check publication after."""
    layer = next((layer for layer in configured_layers() if layer.id == collection_id), None)
    if layer is None or (item_type and layer.item_type != item_type):
        return get_layer(collection_id, item_type)  # raises NotFound with the list of collections
    return layer


def set_published(collection_id, published):
    """Publish or unpublish a collection; every worker sees it on its next request."""
    if collection_id not in {layer.id for layer in LAYERS}:
        raise NotFound(f"no layer {collection_id!r} in the registry", parameter="collectionId")
    LayerPublication.objects.update_or_create(collection=collection_id, defaults={"published": published})
