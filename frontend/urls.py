"""Public pages."""
from django.urls import path

from .extracts import extract_form

urlpatterns = [
    path("extraits", extract_form, name="extract-form"),
]
