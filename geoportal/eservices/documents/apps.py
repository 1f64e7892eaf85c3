from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "geoportal.eservices.documents"
    label = "es_documents"
    verbose_name = "E-services: agency documents and laws (document-e)"
