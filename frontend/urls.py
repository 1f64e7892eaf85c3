"""Public pages."""
from django.urls import path

from . import map_views

urlpatterns = []
urlpatterns += [
    path("", map_views.map_page, name="map"),
    path("parcel/<path:title>", map_views.map_page, name="map-parcel"),
    path("embed/plan/<int:plan_id>", map_views.embed_plan, name="embed-plan"),
    path("embed/parcel/<path:title>", map_views.embed_parcel, name="embed-parcel"),
]
