"""The public layer of inquiry observations: published ones only, and nothing personal.

No name, e-mail, co-signer, attachment or original text: the text as moderated (public_text), the theme, the
article of the draft it concerns, its number in the register, the answer (its own or its group's), the count of
co-signatures, and where it is pinned (a point, a parcel's outline or a drawn area, EPSG:4326). Published
observations stay public after the inquiry closes: the register is a public record.
"""
from django.db import migrations

VIEW_SQL = """
CREATE OR REPLACE VIEW ogc_observations AS
SELECT o.id, o.number, o.position, o.theme, o.article, o.public_text AS text, o.created_at::date AS filed_on,
       NULLIF(COALESCE(NULLIF(o.answer, ''), g.answer), '') AS answer, g.title AS group_title,
       (SELECT count(*) FROM inquiry_cosignature s WHERE s.observation_id = o.id)::int AS cosignatures,
       p.id AS plan_id, p.reference AS plan_reference, p.version AS plan_version, a.code AS agency_code,
       c.name_fr AS commune, o.place AS geom
FROM inquiry_observation o
JOIN inquiry_inquiry i ON i.id = o.inquiry_id
JOIN plans_plandocument p ON p.id = i.plan_id
JOIN plans_agency a ON a.id = p.agency_id
LEFT JOIN plans_commune c ON c.id = o.commune_id
LEFT JOIN inquiry_observationgroup g ON g.id = o.group_id
WHERE o.status = 'published';
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0007_changes_inquiry"), ("inquiry", "0002_register_versions")]
    operations = [migrations.RunSQL(VIEW_SQL, "DROP VIEW IF EXISTS ogc_observations;")]
