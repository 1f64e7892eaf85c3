from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "geoportal.eservices.complaints"
    label = "es_complaints"
    verbose_name = "E-services: complaints (requête-e)"
