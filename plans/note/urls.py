"""Pages of the urbanism note: the request form, the note, its PDF, its verification."""
from django.urls import path

from . import pages

urlpatterns = [
    path("notes/new", pages.note_form, name="note-form"),
    path("notes/<str:number>.pdf", pages.note_pdf, name="note-pdf"),
    path("notes/<str:number>", pages.note_page, name="note-page"),
    path("verify/<str:number>", pages.note_verify, name="note-verify"),
]
