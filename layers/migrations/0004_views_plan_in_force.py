"""The public views read "in force today" from plan_in_force (plans migration 0009), the rule the ORM uses.

Which rows the public may see: `ogc_plan_state` gives each plan its legal state today (Africa/Casablanca):
`current` when in force, `history` when superseded, expired or replaced, `inquiry` under public inquiry,
`unpublished` otherwise (drafts, plans not yet in effect). Every layer view joins it and keeps only the live
revision of each plan's zones and servitudes. Geometries stay in EPSG:4326 so that the GiST indexes of the base
tables serve bbox and tile filters through the views. The DDL is frozen here; a later change comes as a new
migration carrying the whole new text.
"""
from django.db import migrations

VIEWS_SQL = """
CREATE OR REPLACE VIEW ogc_plan_state AS
SELECT p.*,
       CASE
         WHEN plan_in_force(p.status, p.effective_date, p.superseded_on, p.expiry_date,
                            (now() AT TIME ZONE 'Africa/Casablanca')::date)
           THEN 'current'
         WHEN p.status IN ('superseded', 'expired') THEN 'history'
         WHEN p.status = 'approved'
              AND p.effective_date <= (now() AT TIME ZONE 'Africa/Casablanca')::date THEN 'history'
         WHEN p.status = 'public_inquiry' THEN 'inquiry'
         ELSE 'unpublished'
       END AS legal_state
FROM plans_plandocument p;

CREATE OR REPLACE VIEW ogc_zones AS
SELECT z.id, z.code, r.label_fr, r.label_ar,
       r.max_height_m, r.max_floors, r.cos, r.ces, r.min_lot_area_m2, r.min_frontage_m,
       r.setback_road_m, r.setback_side_m, r.setback_rear_m,
       r.allowed_uses, r.forbidden_uses, r.parking_fr, r.parking_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.title_fr AS plan_title_fr, p.title_ar AS plan_title_ar, p.status AS plan_status,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, z.geom
FROM plans_zone z
JOIN ogc_plan_state p ON p.id = z.plan_id AND z.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
LEFT JOIN plans_zonerule r ON r.id = z.rule_id
WHERE p.legal_state = 'current';

CREATE OR REPLACE VIEW ogc_zones_history AS
SELECT z.id, z.code, r.label_fr, r.label_ar,
       r.max_height_m, r.max_floors, r.cos, r.ces, r.min_lot_area_m2, r.min_frontage_m,
       r.setback_road_m, r.setback_side_m, r.setback_rear_m,
       r.allowed_uses, r.forbidden_uses, r.parking_fr, r.parking_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.title_fr AS plan_title_fr, p.title_ar AS plan_title_ar, p.status AS plan_status,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, z.geom
FROM plans_zone z
JOIN ogc_plan_state p ON p.id = z.plan_id AND z.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
LEFT JOIN plans_zonerule r ON r.id = z.rule_id
WHERE p.legal_state = 'history';

CREATE OR REPLACE VIEW ogc_zones_inquiry AS
SELECT z.id, z.code, r.label_fr, r.label_ar,
       r.max_height_m, r.max_floors, r.cos, r.ces, r.min_lot_area_m2, r.min_frontage_m,
       r.setback_road_m, r.setback_side_m, r.setback_rear_m,
       r.allowed_uses, r.forbidden_uses, r.parking_fr, r.parking_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.title_fr AS plan_title_fr, p.title_ar AS plan_title_ar, p.status AS plan_status,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, z.geom
FROM plans_zone z
JOIN ogc_plan_state p ON p.id = z.plan_id AND z.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
LEFT JOIN plans_zonerule r ON r.id = z.rule_id
WHERE p.legal_state = 'inquiry';

CREATE OR REPLACE VIEW ogc_servitudes AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'current' AND s.kind NOT IN ('road', 'planned_road', 'road_widening', 'equipment');

CREATE OR REPLACE VIEW ogc_roads AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'current' AND s.kind IN ('road', 'planned_road', 'road_widening');

CREATE OR REPLACE VIEW ogc_equipment AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'current' AND s.kind IN ('equipment');

CREATE OR REPLACE VIEW ogc_servitudes_history AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'history' AND true;

CREATE OR REPLACE VIEW ogc_plans AS
SELECT p.id, p.reference, p.version, p.kind, p.title_fr, p.title_ar, p.status,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date,
       p.scale_denominator, p.srid AS official_srid, a.code AS agency_code, p.perimeter AS geom
FROM ogc_plan_state p JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'current';

CREATE OR REPLACE VIEW ogc_parcels AS
SELECT pc.id, pc.title_number, pc.area_on_title_m2, c.name_fr AS commune, c.code AS commune_code,
       a.code AS agency_code, pc.geom
FROM plans_parcel pc
JOIN plans_agency a ON a.id = pc.agency_id
LEFT JOIN plans_commune c ON c.id = pc.commune_id;

CREATE OR REPLACE VIEW ogc_agencies AS
SELECT a.id, a.code, a.name_fr, a.name_ar, a.srid AS official_srid, a.jurisdiction AS geom
FROM plans_agency a;

CREATE OR REPLACE VIEW ogc_communes AS
SELECT c.id, c.code, c.name_fr, c.name_ar, a.code AS agency_code, c.geom
FROM plans_commune c JOIN plans_agency a ON a.id = c.agency_id;

-- The catalogue of plan documents (OGC API Records): every version the law
-- has made public (current and history), never drafts nor inquiries.
CREATE OR REPLACE VIEW ogc_plan_records AS
SELECT p.id, p.reference, p.version, p.kind, p.title_fr, p.title_ar, p.status, p.legal_state,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       p.scale_denominator, p.srid AS official_srid, a.code AS agency_code,
       a.name_fr AS agency_name_fr, a.name_ar AS agency_name_ar,
       COALESCE((SELECT json_agg(json_build_object('kind', f.kind, 'title_fr', f.title_fr,
                                                   'title_ar', f.title_ar, 'file', f.file)
                                 ORDER BY f.kind, f.title_fr)
                 FROM plans_planattachment f WHERE f.plan_id = p.id), '[]'::json) AS attachments,
       p.perimeter AS geom
FROM ogc_plan_state p JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state IN ('current', 'history');
"""
PREVIOUS_VIEWS_SQL = """
CREATE OR REPLACE VIEW ogc_plan_state AS
SELECT p.*,
       CASE
         WHEN p.status IN ('approved', 'superseded', 'expired')
              AND p.effective_date <= (now() AT TIME ZONE 'Africa/Casablanca')::date
              AND (p.superseded_on IS NULL OR p.superseded_on > (now() AT TIME ZONE 'Africa/Casablanca')::date)
              AND (p.expiry_date IS NULL OR p.expiry_date > (now() AT TIME ZONE 'Africa/Casablanca')::date)
           THEN 'current'
         WHEN p.status IN ('superseded', 'expired') THEN 'history'
         WHEN p.status = 'approved'
              AND p.effective_date <= (now() AT TIME ZONE 'Africa/Casablanca')::date THEN 'history'
         WHEN p.status = 'public_inquiry' THEN 'inquiry'
         ELSE 'unpublished'
       END AS legal_state
FROM plans_plandocument p;

CREATE OR REPLACE VIEW ogc_zones AS
SELECT z.id, z.code, r.label_fr, r.label_ar,
       r.max_height_m, r.max_floors, r.cos, r.ces, r.min_lot_area_m2, r.min_frontage_m,
       r.setback_road_m, r.setback_side_m, r.setback_rear_m,
       r.allowed_uses, r.forbidden_uses, r.parking_fr, r.parking_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.title_fr AS plan_title_fr, p.title_ar AS plan_title_ar, p.status AS plan_status,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, z.geom
FROM plans_zone z
JOIN ogc_plan_state p ON p.id = z.plan_id AND z.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
LEFT JOIN plans_zonerule r ON r.id = z.rule_id
WHERE p.legal_state = 'current';

CREATE OR REPLACE VIEW ogc_zones_history AS
SELECT z.id, z.code, r.label_fr, r.label_ar,
       r.max_height_m, r.max_floors, r.cos, r.ces, r.min_lot_area_m2, r.min_frontage_m,
       r.setback_road_m, r.setback_side_m, r.setback_rear_m,
       r.allowed_uses, r.forbidden_uses, r.parking_fr, r.parking_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.title_fr AS plan_title_fr, p.title_ar AS plan_title_ar, p.status AS plan_status,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, z.geom
FROM plans_zone z
JOIN ogc_plan_state p ON p.id = z.plan_id AND z.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
LEFT JOIN plans_zonerule r ON r.id = z.rule_id
WHERE p.legal_state = 'history';

CREATE OR REPLACE VIEW ogc_zones_inquiry AS
SELECT z.id, z.code, r.label_fr, r.label_ar,
       r.max_height_m, r.max_floors, r.cos, r.ces, r.min_lot_area_m2, r.min_frontage_m,
       r.setback_road_m, r.setback_side_m, r.setback_rear_m,
       r.allowed_uses, r.forbidden_uses, r.parking_fr, r.parking_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.title_fr AS plan_title_fr, p.title_ar AS plan_title_ar, p.status AS plan_status,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, z.geom
FROM plans_zone z
JOIN ogc_plan_state p ON p.id = z.plan_id AND z.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
LEFT JOIN plans_zonerule r ON r.id = z.rule_id
WHERE p.legal_state = 'inquiry';

CREATE OR REPLACE VIEW ogc_servitudes AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'current' AND s.kind NOT IN ('road', 'planned_road', 'road_widening', 'equipment');

CREATE OR REPLACE VIEW ogc_roads AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'current' AND s.kind IN ('road', 'planned_road', 'road_widening');

CREATE OR REPLACE VIEW ogc_equipment AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'current' AND s.kind IN ('equipment');

CREATE OR REPLACE VIEW ogc_servitudes_history AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'history' AND true;

CREATE OR REPLACE VIEW ogc_plans AS
SELECT p.id, p.reference, p.version, p.kind, p.title_fr, p.title_ar, p.status,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date,
       p.scale_denominator, p.srid AS official_srid, a.code AS agency_code, p.perimeter AS geom
FROM ogc_plan_state p JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'current';

CREATE OR REPLACE VIEW ogc_parcels AS
SELECT pc.id, pc.title_number, pc.area_on_title_m2, c.name_fr AS commune, c.code AS commune_code,
       a.code AS agency_code, pc.geom
FROM plans_parcel pc
JOIN plans_agency a ON a.id = pc.agency_id
LEFT JOIN plans_commune c ON c.id = pc.commune_id;

CREATE OR REPLACE VIEW ogc_agencies AS
SELECT a.id, a.code, a.name_fr, a.name_ar, a.srid AS official_srid, a.jurisdiction AS geom
FROM plans_agency a;

CREATE OR REPLACE VIEW ogc_communes AS
SELECT c.id, c.code, c.name_fr, c.name_ar, a.code AS agency_code, c.geom
FROM plans_commune c JOIN plans_agency a ON a.id = c.agency_id;

-- The catalogue of plan documents (OGC API Records): every version the law
-- has made public (current and history), never drafts nor inquiries.
CREATE OR REPLACE VIEW ogc_plan_records AS
SELECT p.id, p.reference, p.version, p.kind, p.title_fr, p.title_ar, p.status, p.legal_state,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       p.scale_denominator, p.srid AS official_srid, a.code AS agency_code,
       a.name_fr AS agency_name_fr, a.name_ar AS agency_name_ar,
       COALESCE((SELECT json_agg(json_build_object('kind', f.kind, 'title_fr', f.title_fr,
                                                   'title_ar', f.title_ar, 'file', f.file)
                                 ORDER BY f.kind, f.title_fr)
                 FROM plans_planattachment f WHERE f.plan_id = p.id), '[]'::json) AS attachments,
       p.perimeter AS geom
FROM ogc_plan_state p JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state IN ('current', 'history');
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0003_staging_schema"), ("plans", "0009_plan_in_force")]
    operations = [migrations.RunSQL(VIEWS_SQL, PREVIOUS_VIEWS_SQL)]
