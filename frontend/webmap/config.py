"""What the browser map draws: its layers, where their tiles come from, the base map.

Vector layers are OGC API collections served as Mapbox vector tiles under
/ogc/ (Web Mercator, EPSG:3857; the MVT layer name is the collection id).
Raster overlays (e.g. the scanned sheets of a plan) are XYZ templates listed
in settings.MAP_RASTER_OVERLAYS: [{"id", "label_fr", "label_ar", "url",
"min_zoom"?, "attribution"?, "bounds"?}]; they join the layer switcher as they are, after
the scanned sheets of the plans in force today (layers.serving.sheets.map_overlays).
"""
from dataclasses import asdict, dataclass

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.translation import get_language, gettext_lazy as _

from layers.serving.sheets import map_overlays
from plans.vocabulary import DRAFT_LAYER_LABELS

# OGC API - Tiles order: {tileMatrix}/{tileRow}/{tileCol}.
TILE_URL = "/ogc/collections/{collection}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt"


@dataclass(frozen=True)
class VectorLayer:
    id: str
    collection: str
    label: str
    min_zoom: int = 0
    visible: bool = True
    background: bool = False  # drawn under everything, not in the legend
    draft: bool = False  # a draft under public inquiry: drawn apart, marked not binding, off by default


def vector_layers():
    """The vector layers in drawing order (bottom first)."""
    return (
        VectorLayer("communes", "communes", _("Communes"), min_zoom=7, background=True),
        VectorLayer("zones", "zones", _("Zones"), min_zoom=12),
        VectorLayer("servitudes", "servitudes", _("Servitudes"), min_zoom=13),
        VectorLayer("roads", "roads", _("Voirie"), min_zoom=13),
        VectorLayer("equipment", "equipment", _("Équipements publics"), min_zoom=13),
        VectorLayer("parcels", "parcels", _("Parcelles"), min_zoom=15),
        *(VectorLayer(collection, collection, _DraftLabel(collection), min_zoom=12, visible=False, draft=True)
          for collection in DRAFT_LAYER_LABELS),
    )


class _DraftLabel:
    """A draft layer's name in the active language (plans.vocabulary holds both)."""

    def __init__(self, collection):
        self.collection = collection

    def __str__(self):
        fr, ar = DRAFT_LAYER_LABELS[self.collection]
        return ar if (get_language() or "fr").startswith("ar") else fr


def ogc_available():
    """True when this deployment serves the OGC API (tiles) under /ogc/."""
    try:
        resolve("/ogc/collections")
    except Resolver404:
        return False
    return True


def map_config():
    """The JSON-ready configuration of the browser map."""
    tiles = ogc_available()
    return {
        "tiles": tiles,
        "vectorLayers": [
            dict(asdict(layer), label=str(layer.label), url=TILE_URL.format(collection=layer.collection))
            for layer in vector_layers()
        ] if tiles else [],
        "historyCollection": "zones-history",
        "historyUrl": TILE_URL.format(collection="zones-history"),
        "rasterOverlays": map_overlays() + list(settings.MAP_RASTER_OVERLAYS),
        "baseMapUrl": settings.BASE_MAP_URL,
        "baseMapAttribution": settings.BASE_MAP_ATTRIBUTION,
    }
