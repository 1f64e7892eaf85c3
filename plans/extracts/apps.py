from django.apps import AppConfig


class ExtractsConfig(AppConfig):
    name = "plans.extracts"
    label = "extracts"
    verbose_name = "Plan extracts"
