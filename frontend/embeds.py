"""Server-side maps (folium): a plan or a parcel, for agencies' sites and for the urbanism note.

folium's JS and CSS point at our vendored Leaflet (frontend/static/vendor/
leaflet) instead of its CDN defaults, and no external tiles are drawn unless
settings.BASE_MAP_URL is set: an embedded map fetches nothing from outside.
Geometries come as GeoJSON written by PostGIS, in lon/lat (EPSG:4326).
"""
import folium
import jinja2
from branca.element import Figure
from django.conf import settings
from django.templatetags.static import static

from api import queries
from api.places import parcel_links, plans_in_force
from plans.models import Parcel, PlanDocument
from plans.models.document import LEGAL_STATUSES

from .zone_styles import PARCEL_COLOUR, PERIMETER_COLOUR, SELECTION_COLOUR, servitude_colour, zone_colour

# The surroundings of a parcel drawn around it, in degrees (~250 m at Moroccan latitudes).
PARCEL_SURROUNDINGS_DEG = 0.0025


class LocalMap(folium.Map):
    """folium.Map whose Leaflet comes from our static files; no jQuery, Bootstrap or icon fonts."""

    default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
    default_css = [("leaflet_css", static("vendor/leaflet/leaflet.css")),
                   ("embed_css", static("frontend/embed.css"))]


class PageFigure(Figure):
    """The embed page, with its language and direction on <html> (Arabic reads right to left)."""

    _template = jinja2.Template(
        '<!DOCTYPE html>\n<html lang="{{ this.lang }}" dir="{{ this.direction }}">\n<head>\n'
        "{% if this.title %}<title>{{ this.title }}</title>{% endif %}"
        "    {{ this.header.render(**kwargs) }}\n</head>\n<body>\n    {{ this.html.render(**kwargs) }}\n</body>\n"
        "<script>\n    {{ this.script.render(**kwargs) }}\n</script>\n</html>\n")

    def __init__(self, lang):
        super().__init__()
        self.lang, self.direction = lang, "rtl" if lang == "ar" else "ltr"


def _base_map(lang):
    fmap = LocalMap(location=[31.8, -7.1], zoom_start=6, tiles=None, control_scale=True)
    PageFigure(lang).add_child(fmap)
    if settings.BASE_MAP_URL:
        folium.TileLayer(settings.BASE_MAP_URL, attr=getattr(settings, "BASE_MAP_ATTRIBUTION", "") or " ",
                         name="base").add_to(fmap)
    return fmap


def _zones_layer(collection, lang):
    label = "label_ar" if lang == "ar" else "label_fr"
    return folium.GeoJson(
        collection, name="zones",
        style_function=lambda f: {"fillColor": zone_colour(f["properties"]["code"]), "color": "#555555",
                                  "weight": 1, "fillOpacity": 0.55},
        highlight_function=lambda f: {"weight": 3, "color": SELECTION_COLOUR},
        tooltip=folium.GeoJsonTooltip(fields=["code", label], aliases=["", ""]),
    )


def _servitudes_layer(collection, lang):
    label = "label_ar" if lang == "ar" else "label_fr"
    return folium.GeoJson(
        collection, name="servitudes",
        style_function=lambda f: {"color": servitude_colour(f["properties"]["kind"]), "weight": 1.5,
                                  "fillOpacity": 0.25, "dashArray": "4 3"},
        tooltip=folium.GeoJsonTooltip(fields=["code", label], aliases=["", ""]),
    )


def plan_map(plan, lang="fr"):
    """A folium map of a plan's live zones and servitudes, fitted to its perimeter."""
    layers = queries.plan_layers(plan.id)
    fmap = _base_map(lang)
    _zones_layer(layers["zones"], lang).add_to(fmap)
    _servitudes_layer(layers["servitudes"], lang).add_to(fmap)
    folium.GeoJson(layers["perimeter"], name="perimeter",
                   style_function=lambda f: {"color": PERIMETER_COLOUR, "weight": 3, "fill": False}).add_to(fmap)
    west, south, east, north = plan.perimeter.extent
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def parcel_map(parcel, on=None, lang="fr"):
    """A folium map of a parcel among the zones and servitudes of the plans in force on `on` (default today)."""
    from api.places import parse_date

    on = on or parse_date(None)
    fmap = _base_map(lang)
    surroundings = parcel.geom.buffer(PARCEL_SURROUNDINGS_DEG)
    plan_ids = set(plans_in_force(on)) & set(
        PlanDocument.objects.filter(perimeter__intersects=parcel.geom).values_list("id", flat=True))
    for plan_id in sorted(plan_ids):
        layers = queries.plan_layers(plan_id, surroundings.ewkt)
        _zones_layer(layers["zones"], lang).add_to(fmap)
        _servitudes_layer(layers["servitudes"], lang).add_to(fmap)
    folium.GeoJson(parcel.geom.json, name="parcel",
                   style_function=lambda f: {"color": SELECTION_COLOUR, "weight": 4, "fillOpacity": 0.1,
                                             "fillColor": PARCEL_COLOUR},
                   tooltip=parcel.title_number).add_to(fmap)
    west, south, east, north = parcel.geom.extent
    pad = PARCEL_SURROUNDINGS_DEG / 3
    fmap.fit_bounds([[south - pad, west - pad], [north + pad, east + pad]])
    return fmap


def public_plan(plan_id):
    """The plan `plan_id` if the public may see it (approved, or superseded/expired history), else None."""
    return PlanDocument.objects.filter(id=plan_id, status__in=LEGAL_STATUSES).first()


def find_parcel(title, agency=None):
    """Parcels with normalised title `title` (optionally of one agency code)."""
    parcels = Parcel.objects.filter(title_number=title)
    if agency:
        parcels = parcels.filter(agency__code=agency)
    return list(parcels[:2])


__all__ = ["LocalMap", "parcel_links", "parcel_map", "plan_map", "public_plan", "find_parcel"]
