"""The "changes" layer: what each draft under an open public inquiry changes against the version in force.

One row per change, for each draft in ogc_plan_state's `inquiry` state paired with the version in force
(`current`) of the same plan (agency and reference):
- subject `zone`, change `changed`: the land whose zone code differs (code_before -> code_after), the
  intersection of the two zones;
- subject `servitude`: a servitude, road, widening or reservation `added` (only the draft has it), `removed`
  (only the plan in force has it) or `changed` (same kind and code, another footprint or width); servitudes
  without a code are matched by kind and identical footprint.
area_m2 is measured in the plan's Lambert CRS. Like the other inquiry views it says binding=false with the
notice in French and Arabic (plans.vocabulary.DRAFT_NOTICE_FR/AR, the words of migration 0006). Ids: zone pieces
are before_zone_id * 2^32 + after_zone_id; servitudes 2 * id (the draft's) or 2 * id + 1 (the one in force).
"""
from django.db import migrations

NOTICE_FR = "Projet soumis à enquête publique — sans valeur juridique"
NOTICE_AR = "مشروع معروض على البحث العمومي — بدون قوة قانونية"

VIEW_SQL = f"""
CREATE OR REPLACE VIEW ogc_changes_inquiry AS
WITH pairs AS (
    SELECT d.id AS after_id, d.live_revision AS after_revision, c.id AS before_id,
           c.live_revision AS before_revision, d.reference, d.srid, d.inquiry_start, d.inquiry_end,
           a.code AS agency_code
    FROM ogc_plan_state d
    JOIN ogc_plan_state c ON c.agency_id = d.agency_id AND c.reference = d.reference AND c.legal_state = 'current'
    JOIN plans_agency a ON a.id = d.agency_id
    WHERE d.legal_state = 'inquiry'),
zone_pieces AS (
    SELECT z2.id::bigint * 4294967296 + z3.id AS id, 'zone'::text AS subject, 'changed'::text AS change,
           NULL::text AS kind, z2.code AS code_before, z3.code AS code_after,
           r3.label_fr, r3.label_ar, p.*,
           ST_Multi(ST_CollectionExtract(ST_Intersection(z2.geom, z3.geom), 3)) AS geom
    FROM pairs p
    JOIN plans_zone z3 ON z3.plan_id = p.after_id AND z3.revision = p.after_revision
    JOIN plans_zone z2 ON z2.plan_id = p.before_id AND z2.revision = p.before_revision
         AND z2.code <> z3.code AND ST_Intersects(z2.geom, z3.geom)
    LEFT JOIN plans_zonerule r3 ON r3.id = z3.rule_id),
after_servitudes AS (
    SELECT s3.id::bigint * 2 AS id, 'servitude'::text AS subject,
           CASE WHEN s2.id IS NULL THEN 'added' ELSE 'changed' END AS change,
           s3.kind, s2.code AS code_before, s3.code AS code_after, s3.label_fr, s3.label_ar, p.*,
           s3.footprint AS geom
    FROM pairs p
    JOIN plans_servitude s3 ON s3.plan_id = p.after_id AND s3.revision = p.after_revision
    LEFT JOIN LATERAL (
        SELECT s.id, s.code, s.width_m, s.footprint FROM plans_servitude s
        WHERE s.plan_id = p.before_id AND s.revision = p.before_revision AND s.kind = s3.kind
          AND ((s3.code <> '' AND s.code = s3.code) OR (s3.code = '' AND s.code = '' AND ST_Equals(s.footprint, s3.footprint)))
        ORDER BY s.id LIMIT 1) s2 ON true
    WHERE s2.id IS NULL OR NOT ST_Equals(s2.footprint, s3.footprint) OR s2.width_m IS DISTINCT FROM s3.width_m),
removed_servitudes AS (
    SELECT s2.id::bigint * 2 + 1 AS id, 'servitude'::text AS subject, 'removed'::text AS change,
           s2.kind, s2.code AS code_before, NULL::text AS code_after, s2.label_fr, s2.label_ar, p.*,
           s2.footprint AS geom
    FROM pairs p
    JOIN plans_servitude s2 ON s2.plan_id = p.before_id AND s2.revision = p.before_revision
    WHERE NOT EXISTS (
        SELECT 1 FROM plans_servitude s WHERE s.plan_id = p.after_id AND s.revision = p.after_revision
          AND s.kind = s2.kind
          AND ((s2.code <> '' AND s.code = s2.code) OR (s2.code = '' AND s.code = '' AND ST_Equals(s.footprint, s2.footprint)))))
SELECT c.id, c.subject, c.change, c.kind, c.code_before, c.code_after, c.label_fr, c.label_ar,
       round(ST_Area(ST_Transform(c.geom, c.srid))::numeric, 2)::float AS area_m2,
       c.before_id AS plan_before_id, c.after_id AS plan_id, c.reference AS plan_reference, c.agency_code,
       c.inquiry_start, c.inquiry_end, false AS binding, '{NOTICE_FR}'::text AS notice_fr,
       '{NOTICE_AR}'::text AS notice_ar, c.geom
FROM (SELECT * FROM zone_pieces UNION ALL SELECT * FROM after_servitudes UNION ALL SELECT * FROM removed_servitudes) c
WHERE NOT ST_IsEmpty(c.geom);
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0006_inquiry_by_dates")]
    operations = [migrations.RunSQL(VIEW_SQL, "DROP VIEW IF EXISTS ogc_changes_inquiry;")]
