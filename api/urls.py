"""HTTP API routes under /api/."""
from django.urls import include, path

from plans.extracts import api as extracts
from frontend.webmap import api as map_views
from plans.note import api as notes
from layers.serving.views import openapi

urlpatterns = [
    path("openapi.json", openapi, name="api-openapi"),
    path("place", map_views.place, name="api-place"),
    path("search", map_views.search, name="api-search"),
    path("plans", map_views.plans, name="api-plans"),
    path("territories", map_views.territories, name="api-territories"),
    path("extracts", extracts.extracts, name="api-extracts"),
    path("extracts/<uuid:extract_id>", extracts.extract_status, name="api-extract-status"),
    path("extracts/<uuid:extract_id>/download", extracts.extract_download, name="api-extract-download"),
    path("notes", notes.create, name="api-notes"),
    path("notes/<str:number>", notes.detail, name="api-note"),
    path("notes/<str:number>/verify", notes.verify, name="api-note-verify"),
    path("services/", include("geoportal.eservices.api_urls")),
    path("layers/", include("layers.publishing.urls")),
]
