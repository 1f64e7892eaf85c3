"""The public inquiry's routes under /api/ (api.urls includes them)."""
from django.urls import path

from . import api

urlpatterns = [
    path("changes", api.changes, name="api-changes"),
    path("inquiries", api.inquiries, name="api-inquiries"),
    path("inquiries/<int:plan_id>/map.svg", api.draft_map, name="api-inquiry-map"),
]
