"""Routes of the plans' staff pages, included under /staff/."""
from django.urls import path

from . import pages

urlpatterns = [
    path("plans/", pages.plans_page, name="lifecycle-plans"),
    path("plans/<int:plan_id>/", pages.plan_page, name="lifecycle-plan"),
    path("plans/<int:plan_id>/perimeter", pages.perimeter_page, name="lifecycle-perimeter"),
    path("plans/<int:plan_id>/attachments", pages.attach_page, name="lifecycle-attach"),
    path("plans/<int:plan_id>/status", pages.status_page, name="lifecycle-status"),
    path("agencies/new", pages.agency_page, name="lifecycle-agency-new"),
]
