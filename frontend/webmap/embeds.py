"""Server-side maps (folium): a plan or a parcel, for agencies' sites and for the urbanism note.

folium's JS and CSS point at our vendored Leaflet (frontend/static/vendor/
leaflet) instead of its CDN defaults, and no external tiles are drawn unless
settings.BASE_MAP_URL is set: an embedded map fetches nothing from outside.
Geometries come as GeoJSON written by PostGIS, in lon/lat (EPSG:4326).
"""
import json
import re

import folium
import jinja2
from branca.element import Figure
from django.conf import settings
from django.templatetags.static import static
from folium.template import Template

from . import queries
from .places import parcel_links, parse_date, plans_in_force
from plans.models import PlanDocument
from plans.models.document import LEGAL_STATUSES

from plans.vocabulary import PARCEL_COLOUR, PERIMETER_COLOUR, SELECTION_COLOUR, servitude_colour, zone_colour

# The surroundings of a parcel drawn around it, in degrees (~250 m at Moroccan latitudes).
PARCEL_SURROUNDINGS_DEG = 0.0025


class LocalMap(folium.Map):
    """folium.Map whose Leaflet comes from our static files; no jQuery, Bootstrap or icon fonts."""

    default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
    default_css = [("leaflet_css", static("vendor/leaflet/leaflet.css")),
                   ("embed_css", static("frontend/embed.css"))]


class PageFigure(Figure):
    """The embed page, with its language and direction on <html> (Arabic reads right to left).

    The page's Content-Security-Policy allows no inline script or style without
    the request's nonce. The head holds only folium's own markup (Leaflet's
    links, the map's size, its globals: no feature data), so each of its
    <script> and <style> tags gets the nonce; the body's one script, written by
    this template, gets it too. Feature data enters that script only as JSON
    escaped by `tojson` (no "<", ">", "&" or "'" survive), so a label cannot
    close it and open a script of its own, which would carry no nonce.
    """

    _template = jinja2.Template(
        '<!DOCTYPE html>\n<html lang="{{ this.lang }}" dir="{{ this.direction }}">\n<head>\n'
        "    {{ header }}\n</head>\n<body>\n    {{ this.html.render(**kwargs) }}\n</body>\n"
        '<script nonce="{{ nonce }}">\n    {{ this.script.render(**kwargs) }}\n</script>\n</html>\n')
    _HEAD_TAG = re.compile(r"<(script|style)(?=[\s>])")

    def __init__(self, lang):
        super().__init__()
        self.lang, self.direction = lang, "rtl" if lang == "ar" else "ltr"

    def render(self, nonce="", **kwargs):
        """The page (str); `nonce` is the request's CSP nonce (base64, no quotes)."""
        for child in self._children.values():
            child.render(**kwargs)
        header = self._HEAD_TAG.sub(lambda m: f'<{m.group(1)} nonce="{nonce}"', self.header.render(**kwargs))
        return self._template.render(this=self, kwargs=kwargs, nonce=nonce, header=header)


class TextTooltip(folium.GeoJsonTooltip):
    """A tooltip of feature properties, one line each, written as text (folium's builds HTML from them).

    folium's GeoJsonTooltip puts every property into innerHTML: a zone label
    such as `<img src=x onerror=…>` would run in the embedding page. Here each
    value becomes a text node (textContent), whatever it contains.
    """

    _template = Template("""
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.bindTooltip(function (layer) {
        var box = L.DomUtil.create("div");
        {{ this.fields|tojson }}.forEach(function (name) {
            var value = layer.feature.properties[name];
            if (value !== null && value !== undefined && value !== "") {
                L.DomUtil.create("div", "", box).textContent = String(value);
            }
        });
        return box;
    }, {{ this.tooltip_options|tojavascript }});
    {% endmacro %}
    """)


def _base_map(lang):
    fmap = LocalMap(location=[31.8, -7.1], zoom_start=6, tiles=None, control_scale=True)
    PageFigure(lang).add_child(fmap)
    if settings.BASE_MAP_URL:
        folium.TileLayer(settings.BASE_MAP_URL, attr=settings.BASE_MAP_ATTRIBUTION or " ",
                         name="base").add_to(fmap)
    return fmap


def _zones_layer(collection, lang):
    label = "label_ar" if lang == "ar" else "label_fr"
    return folium.GeoJson(
        collection, name="zones",
        style_function=lambda f: {"fillColor": zone_colour(f["properties"]["code"]), "color": "#555555",
                                  "weight": 1, "fillOpacity": 0.55},
        highlight_function=lambda f: {"weight": 3, "color": SELECTION_COLOUR},
        tooltip=TextTooltip(fields=["code", label]),
    )


def _servitudes_layer(collection, lang):
    label = "label_ar" if lang == "ar" else "label_fr"
    return folium.GeoJson(
        collection, name="servitudes",
        style_function=lambda f: {"color": servitude_colour(f["properties"]["kind"]), "weight": 1.5,
                                  "fillOpacity": 0.25, "dashArray": "4 3"},
        tooltip=TextTooltip(fields=["code", label]),
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
    on = on or parse_date(None)
    fmap = _base_map(lang)
    surroundings = parcel.geom.buffer(PARCEL_SURROUNDINGS_DEG)
    plan_ids = set(plans_in_force(on)) & set(
        PlanDocument.objects.filter(perimeter__intersects=parcel.geom).values_list("id", flat=True))
    for plan_id in sorted(plan_ids):
        layers = queries.plan_layers(plan_id, surroundings.ewkt)
        _zones_layer(layers["zones"], lang).add_to(fmap)
        _servitudes_layer(layers["servitudes"], lang).add_to(fmap)
    feature = {"type": "Feature", "geometry": json.loads(parcel.geom.json),
               "properties": {"title_number": parcel.title_number}}
    folium.GeoJson(feature, name="parcel",
                   style_function=lambda f: {"color": SELECTION_COLOUR, "weight": 4, "fillOpacity": 0.1,
                                             "fillColor": PARCEL_COLOUR},
                   tooltip=TextTooltip(fields=["title_number"])).add_to(fmap)
    west, south, east, north = parcel.geom.extent
    pad = PARCEL_SURROUNDINGS_DEG / 3
    fmap.fit_bounds([[south - pad, west - pad], [north + pad, east + pad]])
    return fmap


def public_plan(plan_id):
    """The plan `plan_id` if the public may see it (approved, or superseded/expired history), else None."""
    return PlanDocument.objects.filter(id=plan_id, status__in=LEGAL_STATUSES).first()




__all__ = ["LocalMap", "parcel_links", "parcel_map", "plan_map", "public_plan"]
