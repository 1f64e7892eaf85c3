"""Reads of the portal's pages: the agencies and their plans in force, the open-data URLs."""
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from plans.models import Agency, PlanDocument


def agencies_with_plans(lang):
    """[{code, name, plans}] of every agency, with how many plans are in force today (the SQL rule plan_in_force)."""
    in_force = PlanDocument.objects.in_force().values("id")
    rows = Agency.objects.annotate(in_force=Count("plans", filter=Q(plans__in=in_force))).order_by("code")
    return [{"code": a.code, "name": a.name_ar if lang == "ar" else a.name_fr, "plans": a.in_force} for a in rows]


# (key, URL name, path after it, kind of client): the OGC API pygeoapi serves under /ogc/, WMS/WFS on /ows, our OpenAPI.
_OPEN_DATA = (
    ("landing", "ogc-landing", "", "OGC API (QGIS, ArcGIS Pro, GDAL `OAPIF:`)"),
    ("collections", "ogc-collections", "", "OGC API – Features"),
    ("zones", "ogc-collections", "/zones/items?f=json", "GeoJSON"),
    ("tiles", "ogc-collections", "/zones/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt", "OGC API – Tiles (MVT)"),
    ("catalogue", "ogc-collections", "/catalogue/items", "OGC API – Records"),
    ("wms", "ows", "?SERVICE=WMS&REQUEST=GetCapabilities", "WMS 1.3.0"),
    ("wfs", "ows", "?SERVICE=WFS&REQUEST=GetCapabilities", "WFS 2.0"),
    ("openapi", "ogc-openapi", "?f=json", "OpenAPI"),
    ("api", "api-openapi", "", "OpenAPI (/api/)"),
)


def open_data_urls(root):
    """[{key, url, kind}] of this deployment's open-data endpoints, absolute from `root` (geoportal.core.qr.site_root)."""
    urls = []
    for key, name, tail, kind in _OPEN_DATA:
        try:
            urls.append({"key": key, "url": root + reverse(name) + tail, "kind": kind})
        except NoReverseMatch:
            continue
    return urls
