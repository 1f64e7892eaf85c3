"""Pages of the urbanism note: the request form, the note, its PDF, its verification."""
from django.urls import path

from . import envelope, pages

urlpatterns = [
    path("notes/new", pages.note_form, name="note-form"),
    path("notes/<str:number>.pdf", pages.note_pdf, name="note-pdf"),
    path("notes/<str:number>/envelope.glb", envelope.note_envelope, {"fmt": "glb"}, name="note-envelope-glb"),
    path("notes/<str:number>/envelope.city.json", envelope.note_envelope, {"fmt": "city.json"},
         name="note-envelope-cityjson"),
    path("notes/<str:number>/3d", envelope.note_3d, name="note-3d"),
    path("notes/<str:number>", pages.note_page, name="note-page"),
    path("verify/<str:number>", pages.note_verify, name="note-verify"),
]
