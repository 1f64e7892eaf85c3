from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Personnel des agences"
    default_auto_field = "django.db.models.BigAutoField"
