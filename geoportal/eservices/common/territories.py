"""Agency territories as GeoJSON for the small maps of the public forms, written by PostGIS."""
from django.db import connection

# ~200 m tolerance in degrees: enough to show where to click, small enough to inline in a page.
SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'properties', json_build_object('code', code, 'name', name_fr),
    'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(jurisdiction, 0.002), 5)::json) ORDER BY code), '[]'))::text
FROM plans_agency
"""


def territories_geojson():
    """FeatureCollection (EPSG:4326, lon/lat) of every agency's territory, as text."""
    with connection.cursor() as cursor:
        cursor.execute(SQL)
        return cursor.fetchone()[0]
