from django.apps import AppConfig


class GeoportalConfig(AppConfig):
    """The ground floor: process-wide safety set once at start-up, before any request or job runs."""

    name = "geoportal"
    label = "geoportal_core"
    verbose_name = "Géoportail"

    def ready(self):
        from . import gdal_guard

        gdal_guard.apply()
