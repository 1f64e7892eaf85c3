"""The public inquiry's routes under /api/ (api.urls includes them)."""
from django.urls import path

from . import api, observations_api as obs, opening_api, staff_pages, watch_api

urlpatterns = [
    path("changes", api.changes, name="api-changes"),
    path("inquiries", api.inquiries, name="api-inquiries"),
    path("inquiries/<int:plan_id>/map.svg", api.draft_map, name="api-inquiry-map"),
    path("inquiries/<int:plan_id>/observations", obs.observations, name="api-inquiry-observations"),
    path("inquiries/<int:plan_id>/groups", obs.group, name="api-inquiry-groups"),
    path("inquiries/groups/<int:group_id>/answer", obs.answer_group, name="api-inquiry-group-answer"),
    path("inquiries/<int:plan_id>/open", opening_api.open_inquiry, name="api-inquiry-open"),
    path("inquiries/<int:plan_id>/close", opening_api.close_inquiry, name="api-inquiry-close"),
    path("inquiries/<int:plan_id>/counts", obs.counts, name="api-inquiry-counts"),
    path("inquiries/<int:plan_id>/observations.geojson", staff_pages.observations_geojson,
         name="api-inquiry-observations-staff"),
    path("watches", watch_api.subscribe, name="api-watches"),
    path("inquiries/<int:plan_id>/register", obs.issue_register, name="api-inquiry-register"),
    *(path(f"registers/<str:number>.{fmt}", obs.register_file, {"fmt": fmt}, name=f"api-register-{fmt}")
      for fmt in ("pdf", "csv", "gpkg")),
    path("observations/<str:number>", obs.detail, name="api-observation"),
    path("observations/<str:number>/public", obs.public_detail, name="api-observation-public"),
    path("observations/<str:number>/cosign", obs.cosign, name="api-observation-cosign"),
    path("observations/<str:number>/moderate", obs.moderate, name="api-observation-moderate"),
    path("observations/<str:number>/answer", obs.answer, name="api-observation-answer"),
]
