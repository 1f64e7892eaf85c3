"""URL map: admin, health, the APIs, the OGC mount, and each slice's public pages."""
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from layers.serving.views import landing_page as ogc_landing_page

from .health import healthz

admin.site.site_header = "Géoportail des agences urbaines — administration"
admin.site.site_title = "Géoportail"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    # QGIS makes an invalid layer of a 301 from /ogc to /ogc/: both answer the landing page.
    path("ogc", ogc_landing_page, name="ogc-landing-no-slash"),
    path("ogc/", include("layers.serving.urls")),
    path("", include("layers.ows.urls")),  # /ows: WMS 1.3.0 and WFS 2.0 (MapServer)
    path("django-rq/", include("geoportal.rq_dashboard")),  # superusers only
    path("services/", include("geoportal.eservices.urls")),
    path("layers/", include("layers.publishing.page_urls")),
    path("staff/", include("plans.lifecycle.urls")),
    path("", include("plans.note.urls")),
    path("", include("plans.extracts.urls")),
    path("", include("plans.inquiry.urls")),
    path("", include("frontend.portal.urls")),  # home, open data, /a/<agency>/, favicon
    path("", include("frontend.webmap.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Django's own errors (unreadable body, unknown route, crash) as JSON on /api/ and /ogc/ (geoportal.core.responses).
handler400 = "geoportal.core.responses.handler400"
handler403 = "geoportal.core.responses.handler403"
handler404 = "geoportal.core.responses.handler404"
handler500 = "geoportal.core.responses.handler500"
