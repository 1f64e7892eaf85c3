"""A draft is public only while its public inquiry is open, and marked as not binding wherever it is served.

`ogc_plan_state` now gives `inquiry` only to a plan under public inquiry whose dates include today
(plan_under_inquiry, plans migration 0012); before the inquiry opens and after it closes the draft is
`unpublished`. The inquiry views carry the inquiry dates, `binding` (always false) and the notice in French
and Arabic (plans.vocabulary.DRAFT_NOTICE_FR/AR; plans/inquiry/tests checks the served words are those): a GIS client,
the OGC HTML pages and the tiles all say it. The servitudes, roads and reservations of the draft get their own
view; the catalogue lists the draft during its inquiry, marked the same way. The DDL is frozen here.
"""
from django.db import migrations


TODAY = "(now() AT TIME ZONE 'Africa/Casablanca')::date"
NOTICE_FR = "Projet soumis à enquête publique — sans valeur juridique"
NOTICE_AR = "مشروع معروض على البحث العمومي — بدون قوة قانونية"
MARKS = (f"p.inquiry_start, p.inquiry_end, false AS binding, '{NOTICE_FR}'::text AS notice_fr, "
         f"'{NOTICE_AR}'::text AS notice_ar")

PLAN_STATE_SQL = f"""
CREATE OR REPLACE VIEW ogc_plan_state AS
SELECT p.*,
       CASE
         WHEN plan_in_force(p.status, p.effective_date, p.superseded_on, p.expiry_date, {TODAY}) THEN 'current'
         WHEN p.status IN ('superseded', 'expired') THEN 'history'
         WHEN p.status = 'approved' AND p.effective_date <= {TODAY} THEN 'history'
         WHEN plan_under_inquiry(p.status, p.inquiry_start, p.inquiry_end, {TODAY}) THEN 'inquiry'
         ELSE 'unpublished'
       END AS legal_state
FROM plans_plandocument p;
"""
# Same columns as layers 0001's, then the marks (CREATE OR REPLACE may only add columns at the end).
ZONES_SQL = f"""
CREATE OR REPLACE VIEW ogc_zones_inquiry AS
SELECT z.id, z.code, r.label_fr, r.label_ar,
       r.max_height_m, r.max_floors, r.cos, r.ces, r.min_lot_area_m2, r.min_frontage_m,
       r.setback_road_m, r.setback_side_m, r.setback_rear_m,
       r.allowed_uses, r.forbidden_uses, r.parking_fr, r.parking_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.title_fr AS plan_title_fr, p.title_ar AS plan_title_ar, p.status AS plan_status,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, z.geom, {MARKS}
FROM plans_zone z
JOIN ogc_plan_state p ON p.id = z.plan_id AND z.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
LEFT JOIN plans_zonerule r ON r.id = z.rule_id
WHERE p.legal_state = 'inquiry';
"""
SERVITUDES_SQL = f"""
CREATE OR REPLACE VIEW ogc_servitudes_inquiry AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom, {MARKS}
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = 'inquiry';
"""
RECORDS_SQL = """
CREATE OR REPLACE VIEW ogc_plan_records AS
SELECT p.id, p.reference, p.version, p.kind, p.title_fr, p.title_ar, p.status, p.legal_state,
       p.decree_reference, p.decree_date, p.effective_date, p.expiry_date, p.superseded_on,
       p.scale_denominator, p.srid AS official_srid, a.code AS agency_code,
       a.name_fr AS agency_name_fr, a.name_ar AS agency_name_ar,
       COALESCE((SELECT json_agg(json_build_object('kind', f.kind, 'title_fr', f.title_fr,
                                                   'title_ar', f.title_ar, 'file', f.file)
                                 ORDER BY f.kind, f.title_fr)
                 FROM plans_planattachment f WHERE f.plan_id = p.id), '[]'::json) AS attachments,
       p.perimeter AS geom,
       CASE WHEN p.legal_state = 'inquiry' THEN p.inquiry_start END AS inquiry_start,
       CASE WHEN p.legal_state = 'inquiry' THEN p.inquiry_end END AS inquiry_end,
       p.legal_state <> 'inquiry' AS binding,
       CASE WHEN p.legal_state = 'inquiry' THEN '{fr}' END AS notice_fr,
       CASE WHEN p.legal_state = 'inquiry' THEN '{ar}' END AS notice_ar
FROM ogc_plan_state p JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state IN ('current', 'history', 'inquiry');
""".replace("{fr}", NOTICE_FR).replace("{ar}", NOTICE_AR)

FORWARD_SQL = PLAN_STATE_SQL + ZONES_SQL + SERVITUDES_SQL + RECORDS_SQL
# Back to 0004: the inquiry views lose their marks (dropped and made again as 0001 had them).
PREVIOUS_ZONES_SQL = ZONES_SQL.replace(f", {MARKS}", "")
PREVIOUS_RECORDS_SQL = RECORDS_SQL.split("       p.perimeter AS geom,")[0] + """       p.perimeter AS geom
FROM ogc_plan_state p JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state IN ('current', 'history');
"""
BACKWARD_SQL = (
    "DROP VIEW ogc_servitudes_inquiry; DROP VIEW ogc_zones_inquiry; DROP VIEW ogc_plan_records;"
    + PREVIOUS_ZONES_SQL + PREVIOUS_RECORDS_SQL
    + PLAN_STATE_SQL.replace(
        "plan_under_inquiry(p.status, p.inquiry_start, p.inquiry_end, " + TODAY + ")", "p.status = 'public_inquiry'")
)


class Migration(migrations.Migration):
    dependencies = [("layers", "0005_upload_tolerance"), ("plans", "0012_plan_under_inquiry")]
    operations = [migrations.RunSQL(FORWARD_SQL, BACKWARD_SQL)]
