"""Staff pages of layer publishing, included under /layers/."""
from django.urls import path

from . import pages

urlpatterns = [
    path("", pages.dashboard, name="layers-page-dashboard"),
    path("uploads/<int:upload_id>/", pages.upload_page, name="layers-page-upload"),
    path("uploads/<int:upload_id>/report", pages.report_page, name="layers-page-report"),
    path("plans/<int:plan_id>/rollback", pages.rollback_page, name="layers-page-rollback"),
    path("parcels/<str:agency_code>/restore", pages.restore_parcels_page, name="layers-page-restore-parcels"),
]
