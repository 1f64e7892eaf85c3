from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate

from . import gdal_guard
from .grants import on_post_migrate


class GeoportalConfig(AppConfig):
    """The project's own app: process-wide safety set once at start-up, the grants after each migrate."""

    name = "geoportal"
    label = "geoportal_core"
    verbose_name = "Géoportail"

    def ready(self):
        gdal_guard.apply()
        # After every migrate (all apps' tables exist by then), the owner grants the app role its rights.
        post_migrate.connect(on_post_migrate, sender=apps.get_app_config("plans"), dispatch_uid="geoportal.grants")
