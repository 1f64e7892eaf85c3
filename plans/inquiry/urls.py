"""The public inquiry's pages (geoportal.urls includes them)."""
from django.urls import path

from . import observations_api as obs, pages

urlpatterns = [
    path("enquete/registres/<str:number>/verifier", obs.verify_register, name="inquiry-register-verify"),
    path("enquete/observations/<str:number>/", pages.observation, name="inquiry-observation"),
]
