from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Planning documents"

    def ready(self):
        from geoportal.grants import on_post_migrate

        # After every migrate (all apps' tables exist by then), the owner grants the app role its rights.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="geoportal.grants")
