"""The layer registry's publication flags and the public SQL views of the OGC API."""
from django.db import migrations, models

PUBLICATION_TABLE = "layers_layerpublication"
# The DDL as this migration was written, frozen here (layers/public_views.py and plans/versions.py of then);
# the views changed later only through new migrations (0004_views_plan_in_force).
TRIGGER_SQL = """
DROP TRIGGER IF EXISTS {table}_bump_version ON {table};
CREATE TRIGGER {table}_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION plans_bump_table_version();
INSERT INTO plans_table_version (table_name) VALUES ('{table}') ON CONFLICT DO NOTHING;
"""

PLAN_STATE = """
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
"""

# Zone with its rule flattened and the plan reference: one feature answers
# "what can I build here". {state} selects current / history / inquiry.
ZONES = """
CREATE OR REPLACE VIEW {name} AS
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
WHERE p.legal_state = '{state}';
"""

SERVITUDES = """
CREATE OR REPLACE VIEW {name} AS
SELECT s.id, s.kind, s.code, s.label_fr, s.label_ar, s.width_m, s.rule_fr, s.rule_ar,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version,
       p.status AS plan_status, p.decree_reference, p.effective_date, p.expiry_date, p.superseded_on,
       a.code AS agency_code, s.footprint AS geom
FROM plans_servitude s
JOIN ogc_plan_state p ON p.id = s.plan_id AND s.revision = p.live_revision
JOIN plans_agency a ON a.id = p.agency_id
WHERE p.legal_state = '{state}' AND {kinds};
"""

ROAD_KINDS = ("road", "planned_road", "road_widening")
EQUIPMENT_KINDS = ("equipment",)


def _kinds_in(kinds, negate=False):
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    return f"s.kind {'NOT ' if negate else ''}IN ({listed})"


OTHERS = """
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

VIEW_NAMES = (
    "ogc_plan_records", "ogc_communes", "ogc_agencies", "ogc_parcels", "ogc_plans",
    "ogc_equipment", "ogc_roads", "ogc_servitudes_history", "ogc_servitudes",
    "ogc_zones_inquiry", "ogc_zones_history", "ogc_zones", "ogc_plan_state",
)


def install_sql():
    """The DDL creating every public view (idempotent)."""
    return "".join([
        PLAN_STATE,
        ZONES.format(name="ogc_zones", state="current"),
        ZONES.format(name="ogc_zones_history", state="history"),
        ZONES.format(name="ogc_zones_inquiry", state="inquiry"),
        SERVITUDES.format(name="ogc_servitudes", state="current",
                          kinds=_kinds_in(ROAD_KINDS + EQUIPMENT_KINDS, negate=True)),
        SERVITUDES.format(name="ogc_roads", state="current", kinds=_kinds_in(ROAD_KINDS)),
        SERVITUDES.format(name="ogc_equipment", state="current", kinds=_kinds_in(EQUIPMENT_KINDS)),
        SERVITUDES.format(name="ogc_servitudes_history", state="history", kinds="true"),
        OTHERS,
    ])


def drop_sql():
    return "".join(f"DROP VIEW IF EXISTS {name};" for name in VIEW_NAMES)


VIEWS_SQL, DROP_VIEWS_SQL = install_sql(), drop_sql()


class Migration(migrations.Migration):
    initial = True
    dependencies = [("plans", "0004_table_versions")]
    operations = [
        migrations.CreateModel(
            name="LayerPublication",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("collection", models.SlugField(help_text="Collection id, e.g. zones, parcels.", max_length=60,
                                                unique=True)),
                ("published", models.BooleanField(default=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"ordering": ["collection"]},
        ),
        migrations.RunSQL(TRIGGER_SQL.format(table=PUBLICATION_TABLE),
                          f"DROP TRIGGER IF EXISTS {PUBLICATION_TABLE}_bump_version ON {PUBLICATION_TABLE};"),
        migrations.RunSQL(VIEWS_SQL, DROP_VIEWS_SQL),
    ]
