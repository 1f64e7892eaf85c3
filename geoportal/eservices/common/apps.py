from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "geoportal.eservices.common"
    label = "es_common"
    verbose_name = "E-services: staff and audit"
