"""The web map's JSON routes under /api/ (api.urls includes them)."""
from django.urls import path

from . import api

urlpatterns = [
    path("place", api.place, name="api-place"),
    path("search", api.search, name="api-search"),
    path("plans", api.plans, name="api-plans"),
    path("territories", api.territories, name="api-territories"),
    path("measure", api.measure, name="api-measure"),
]
