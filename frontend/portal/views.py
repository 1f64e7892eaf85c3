"""Thin views of the portal's pages; what they show comes from geoportal.core.shell (the services) and the
selectors of the law (agencies, plans in force)."""
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from geoportal.core.errors import NotFound
from geoportal.core.language import request_language
from geoportal.core.qr import site_root
from geoportal.core.shell import SERVICE_KEYS, SERVICES, service_url, with_lang
from plans import vocabulary
from plans.selectors import agency_by_code, known_agency_codes

from .selectors import agencies_with_plans, open_data_urls


@require_GET
def home(request):
    """GET /: what the portal offers, each service with its link, the agencies' maps, the zone families."""
    lang = request_language(request)
    services = [{"key": s.key, "title": s.title(lang), "text": s.text(lang), "url": with_lang(url, lang)}
                for s in SERVICES if (url := service_url(s))]
    families = [{"key": f.key, "label": f.label_ar if lang == "ar" else f.label_fr} for f in vocabulary.ZONE_FAMILIES]
    return render(request, "portal/home.html", {
        "services": services, "agencies": agencies_with_plans(lang), "families": families})


@require_GET
def open_data(request):
    """GET /donnees/: the URLs a GIS user adds in QGIS, ArcGIS or GDAL."""
    return render(request, "portal/open_data.html", {"urls": open_data_urls(site_root(request))})


@require_GET
def agency_entry(request, code):
    """GET /a/<code>/: the agency's own entry, its map opened on its plans in force."""
    agency = agency_by_code(code)
    if agency is None:
        raise NotFound(f"no agency {code!r}; known: {known_agency_codes()}", "agency")
    return redirect(with_lang(service_url(SERVICE_KEYS["map"]) + f"?agency={agency.code}", request_language(request)))


@require_GET
def favicon(request):
    """GET /favicon.ico: browsers ask for it on every site, whatever the page's link tags say."""
    response = FileResponse(open(finders.find("site/favicon.ico"), "rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def vocabulary_css(request):
    """GET /site/vocabulary.css: the colours of plans/vocabulary.py as CSS (custom properties and swatch classes),
    so that the shell's stylesheet and the pages take them from the one source."""
    lines = [":root {"]
    lines += [f"  --zone-{f.key}: {f.colour};" for f in vocabulary.ZONE_FAMILIES]
    lines += [f"  --servitude-{kind.replace('_', '-')}: {colour};" for kind, colour in vocabulary.SERVITUDE_COLOURS.items()]
    lines += [f"  --perimeter: {vocabulary.PERIMETER_COLOUR};", f"  --selection: {vocabulary.SELECTION_COLOUR};",
              f"  --parcel: {vocabulary.PARCEL_COLOUR};", "}"]
    lines += [f".zone-{f.key} {{ background: var(--zone-{f.key}); }}" for f in vocabulary.ZONE_FAMILIES]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600" if not settings.DEBUG else "no-cache"
    return response
