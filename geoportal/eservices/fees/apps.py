from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "geoportal.eservices.fees"
    label = "es_fees"
    verbose_name = "E-services: fees and payments (prestations-e)"
