"""HTTP API routes under /api/."""
from django.urls import path

from . import notes

urlpatterns = [
    path("notes", notes.create, name="api-notes"),
    path("notes/<str:number>", notes.detail, name="api-note"),
    path("notes/<str:number>/verify", notes.verify, name="api-note-verify"),
]
