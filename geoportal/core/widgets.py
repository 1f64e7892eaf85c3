"""Map widget for the admin with OpenLayers served from our static files (no CDN)."""
from django.conf import settings
from django.contrib.gis.forms.widgets import OpenLayersWidget


class LocalMapWidget(OpenLayersWidget):
    """GeoDjango's OpenLayers widget, its JS/CSS vendored in frontend/static/vendor/ol.

    The base layer is an XYZ raster template from settings.BASE_MAP_URL when
    one is configured (production), else none: the map works offline. The
    widget starts from a static script (frontend/admin-map-widget.js) reading
    its options as JSON, so that the admin runs under the strict CSP.
    """

    template_name = "frontend/admin/map_widget.html"

    class Media:
        extend = False  # drop the parent's CDN URLs
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js", "frontend/admin-map-widget.js")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["map_options_id"] = f"{context['id']}_map_options"
        context["map_options"] = {
            "geom_name": context["geom_type"], "id": context["id"], "map_id": f"{context['id']}_map",
            "map_srid": context["map_srid"], "name": context["name"], "module": context["module"],
            "base_map_url": settings.BASE_MAP_URL,
        }
        return context
