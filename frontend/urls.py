"""Public pages."""
from django.urls import path

from . import notes

urlpatterns = [
    path("notes/new", notes.note_form, name="note-form"),
    path("notes/<str:number>.pdf", notes.note_pdf, name="note-pdf"),
    path("notes/<str:number>", notes.note_page, name="note-page"),
    path("verify/<str:number>", notes.note_verify, name="note-verify"),
]
