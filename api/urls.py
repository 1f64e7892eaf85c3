"""HTTP API routes under /api/."""
from django.urls import path

from . import extracts

urlpatterns = [
    path("extracts", extracts.extracts, name="api-extracts"),
    path("extracts/<uuid:extract_id>", extracts.extract_status, name="api-extract-status"),
    path("extracts/<uuid:extract_id>/download", extracts.extract_download, name="api-extract-download"),
]
