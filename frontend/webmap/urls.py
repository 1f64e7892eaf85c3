"""Public pages."""
from django.urls import path

from . import views as map_views
from plans.note import pages as notes
from plans.extracts.pages import extract_form

urlpatterns = [
    path("", map_views.map_page, name="map"),
    path("parcel/<path:title>", map_views.map_page, name="map-parcel"),
    path("embed/plan/<int:plan_id>", map_views.embed_plan, name="embed-plan"),
    path("embed/parcel/<path:title>", map_views.embed_parcel, name="embed-parcel"),
    path("extraits", extract_form, name="extract-form"),
    path("notes/new", notes.note_form, name="note-form"),
    path("notes/<str:number>.pdf", notes.note_pdf, name="note-pdf"),
    path("notes/<str:number>", notes.note_page, name="note-page"),
    path("verify/<str:number>", notes.note_verify, name="note-verify"),
]
