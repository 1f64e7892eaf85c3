"""The public inquiry's pages (geoportal.urls includes them)."""
from django.urls import path

from . import observations_api as obs, pages, staff_pages, watch_api

urlpatterns = [
    path("staff/inquiries/", staff_pages.inquiries_page, name="inquiry-staff"),
    path("enquete/registres/<str:number>/verifier", obs.verify_register, name="inquiry-register-verify"),
    path("enquete/observations/<str:number>/", pages.observation, name="inquiry-observation"),
    path("enquete/veille/confirmer/<str:token>", watch_api.confirm, name="inquiry-watch-confirm"),
    path("enquete/veille/desinscrire/<str:token>", watch_api.unsubscribe, name="inquiry-watch-unsubscribe"),
]
