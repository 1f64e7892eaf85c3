"""HTTP API routes under /api/."""
from django.urls import include, path

urlpatterns = [
    path("services/", include("geoportal.eservices.api_urls")),
]
