"""The extract form page (its API is under /api/extracts, plans.extracts.api)."""
from django.urls import path

from .pages import extract_form

urlpatterns = [path("extraits", extract_form, name="extract-form")]
