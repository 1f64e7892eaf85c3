"""HTTP API routes under /api/."""
urlpatterns = []

from django.urls import path  # noqa: E402

from .ogc.views import openapi  # noqa: E402

urlpatterns += [path("openapi.json", openapi, name="api-openapi")]
