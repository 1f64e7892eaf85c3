"""Routes of the portal's pages (included at the site root by geoportal/urls.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("donnees/", views.open_data, name="open-data"),
    path("a/<str:code>/", views.agency_entry, name="agency-entry"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("site/vocabulary.css", views.vocabulary_css, name="vocabulary-css"),
]
