"""What the public reads of the register: published observations, never a name, an e-mail or a file.

The JSON API reads them here; the OGC collection `observations` reads the view ogc_observations (layers
migration 0008), which selects the same published fields and nothing personal.
"""
import json

from django.contrib.gis.db.models.functions import AsGeoJSON

from .models import ObservationStatus

def public_observation(observation):
    """The published face of an observation: number, theme, article, moderated text, place, answer, counts."""
    return {
        "number": observation.number, "position": observation.position, "theme": observation.theme,
        "theme_label": observation.get_theme_display(), "article": observation.article or None,
        "text": observation.public_text or None, "named": bool(observation.author_name),
        "commune": observation.commune.name_fr if observation.commune_id else None,
        "parcel": observation.parcel.title_number if observation.parcel_id else None,
        "created_at": observation.created_at.isoformat(),
        "group": observation.group.title if observation.group_id else None,
        "answer": observation.reasoned_answer or None,
        "answered_at": _iso(observation.answered_at
                            or (observation.group.answered_at if observation.group_id else None)),
        "cosignatures": observation.cosignatures.count(),
        "plan_id": observation.inquiry.plan_id,
    }


def _iso(value):
    return value.isoformat() if value else None


def observation_geojson(inquiry):
    """The published observations of `inquiry` as a GeoJSON FeatureCollection (EPSG:4326)."""
    rows = (inquiry.observations.filter(status=ObservationStatus.PUBLISHED)
            .select_related("inquiry", "group", "commune", "parcel").annotate(geojson=AsGeoJSON("place"))
            .order_by("position"))
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": o.number, "geometry": json.loads(o.geojson), "properties": public_observation(o)}
        for o in rows]}
