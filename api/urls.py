"""HTTP API routes under /api/."""
from django.urls import path

from . import notes
from .ogc.views import openapi

urlpatterns = [
    path("notes", notes.create, name="api-notes"),
    path("notes/<str:number>", notes.detail, name="api-note"),
    path("notes/<str:number>/verify", notes.verify, name="api-note-verify"),
    path("openapi.json", openapi, name="api-openapi"),
]
