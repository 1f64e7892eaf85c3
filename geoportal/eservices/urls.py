"""Public e-service pages under /services/ (namespace "eservices")."""
from django.urls import path

from .common import views as common
from .complaints import pages as complaints
from .documents import views as documents
from .fees import views as fees
from .permits import views as permits

app_name = "eservices"
urlpatterns = [
    path("", common.home, name="home"),
    path("requetes/nouvelle/", complaints.new_complaint, name="complaint-new"),
    path("requetes/suivi/", complaints.track_form, name="complaint-track-form"),
    path("requetes/suivi/<str:number>/", complaints.track, name="complaint-track"),
    path("requetes/delais/", complaints.delays, name="complaint-delays"),
    path("dossiers/", permits.file_page, name="permit-file"),
    path("commissions/", permits.sessions_page, name="permit-sessions"),
    path("commissions/<str:agency>/<str:reference>/", permits.session_page, name="permit-session"),
    path("documents/", documents.list_page, name="documents"),
    path("documents/<int:pk>/", documents.detail_page, name="document"),
    path("documents/<int:pk>/telecharger", documents.download, name="document-download"),
    path("tarifs/", fees.tariffs_page, name="tariffs"),
    path("factures/nouvelle/", fees.new_invoice_page, name="invoice-new"),
    path("factures/<str:reference>/", fees.invoice_page, name="invoice"),
    path("paiement/sandbox/<str:provider_ref>/", fees.sandbox_checkout_page, name="sandbox-checkout"),
]
