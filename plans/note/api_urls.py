"""The note's routes under /api/ (api.urls includes them)."""
from django.urls import path

from . import api, envelope

urlpatterns = [
    path("notes", api.create, name="api-notes"),
    path("notes/<str:number>", api.detail, name="api-note"),
    path("notes/<str:number>/verify", api.verify, name="api-note-verify"),
    path("envelope", envelope.lot_envelope, name="api-envelope"),
]
