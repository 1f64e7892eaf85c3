from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "geoportal.staff"
    label = "staff"  # the label the migrations and tables were made with
    verbose_name = "Personnel des agences"
    default_auto_field = "django.db.models.BigAutoField"
