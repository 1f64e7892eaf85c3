"""Routes of the layers API, included under /api/layers/."""
from django.urls import path

from . import api

urlpatterns = [
    path("uploads", api.upload_list, name="layers-uploads"),
    path("uploads/<int:upload_id>", api.upload_detail, name="layers-upload"),
    path("uploads/<int:upload_id>/mapping", api.upload_mapping, name="layers-upload-mapping"),
    path("uploads/<int:upload_id>/report", api.upload_report, name="layers-upload-report"),
    path("uploads/<int:upload_id>/features.geojson", api.upload_features, name="layers-upload-features"),
    path("uploads/<int:upload_id>/publish", api.upload_publish, name="layers-upload-publish"),
    path("plans/<int:plan_id>/versions", api.plan_versions, name="layers-plan-versions"),
    path("plans/<int:plan_id>/rollback", api.plan_rollback, name="layers-plan-rollback"),
    path("parcels/<str:agency_code>/releases", api.parcel_releases, name="layers-parcel-releases"),
    path("parcels/<str:agency_code>/restore", api.parcel_restore, name="layers-parcel-restore"),
    path("audit", api.audit_log, name="layers-audit"),
    path("plans/<int:plan_id>/sheets", api.plan_sheets, name="layers-plan-sheets"),
    path("sheets/<int:attachment_id>/tiles/<int:z>/<int:x>/<int:y>.png", api.sheet_tile, name="layers-sheet-tile"),
]
