"""The one route of the classic OGC services."""
from django.urls import path

from . import views

urlpatterns = [path("ows", views.ows, name="ows")]
