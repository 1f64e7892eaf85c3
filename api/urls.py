"""The /api/ URL map, assembled from the routes each slice declares (its api_urls module)."""
from django.urls import include, path

from layers.serving.views import openapi

urlpatterns = [
    path("openapi.json", openapi, name="api-openapi"),
    path("", include("frontend.webmap.api_urls")),
    path("", include("plans.extracts.api_urls")),
    path("", include("plans.note.api_urls")),
    path("", include("plans.inquiry.api_urls")),
    path("services/", include("geoportal.eservices.api_urls")),
    path("layers/", include("layers.publishing.urls")),
]
