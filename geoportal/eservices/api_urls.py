"""E-service JSON APIs under /api/services/ (namespace "eservices-api")."""
from django.urls import path

from .complaints import api as complaints
from .documents import views as documents
from .fees import views as fees
from .permits import views as permits

app_name = "eservices-api"
urlpatterns = [
    path("complaints", complaints.create, name="complaints"),
    path("complaints/delays", complaints.delays, name="complaint-delays"),
    path("complaints/<str:number>", complaints.detail, name="complaint"),
    path("complaints/<str:number>/attachments/<int:pk>", complaints.attachment, name="complaint-attachment"),
    path("permits/files/<str:number>", permits.file_api, name="permit-file"),
    path("permits/sessions", permits.sessions_api, name="permit-sessions"),
    path("permits/sessions/<str:agency>/<str:reference>", permits.session_results_api, name="permit-session"),
    path("documents", documents.list_api, name="documents"),
    path("documents/<int:pk>", documents.detail_api, name="document"),
    path("fees/schedule", fees.schedule_api, name="fee-schedule"),
    path("fees/invoices", fees.create_invoice_api, name="invoices"),
    path("fees/invoices/<str:reference>", fees.invoice_api, name="invoice"),
    path("fees/invoices/<str:reference>/pay", fees.pay_api, name="invoice-pay"),
    path("fees/callback/<str:provider_code>", fees.callback_api, name="fee-callback"),
]
