from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "geoportal.eservices.permits"
    label = "es_permits"
    verbose_name = "E-services: permit files and building commissions"
