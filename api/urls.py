"""HTTP API routes under /api/."""
from django.urls import include, path

urlpatterns = [
    path("layers/", include("layers.urls")),
]
