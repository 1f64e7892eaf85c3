"""HTTP API routes under /api/."""
from django.urls import path

from . import map_views
from .ogc.views import openapi

urlpatterns = []
urlpatterns += [
    path("place", map_views.place, name="api-place"),
    path("search", map_views.search, name="api-search"),
    path("plans", map_views.plans, name="api-plans"),
    path("territories", map_views.territories, name="api-territories"),
]
urlpatterns += [path("openapi.json", openapi, name="api-openapi")]
