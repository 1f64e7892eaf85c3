"""Pages of the web map: the map, parcel deep links, embeddable maps."""
from django.urls import path

from . import views

urlpatterns = [
    path("carte/", views.map_page, name="map"),
    path("parcel/<path:title>", views.map_page, name="map-parcel"),
    path("embed/plan/<int:plan_id>", views.embed_plan, name="embed-plan"),
    path("embed/parcel/<path:title>", views.embed_parcel, name="embed-parcel"),
]
