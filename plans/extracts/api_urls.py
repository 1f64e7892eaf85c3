"""The extracts' routes under /api/ (api.urls includes them)."""
from django.urls import path

from . import api

urlpatterns = [
    path("extracts", api.extracts, name="api-extracts"),
    path("extracts/<uuid:extract_id>", api.extract_status, name="api-extract-status"),
    path("extracts/<uuid:extract_id>/download", api.extract_download, name="api-extract-download"),
    path("extracts/<uuid:extract_id>/retry", api.extract_retry, name="api-extract-retry"),
]
