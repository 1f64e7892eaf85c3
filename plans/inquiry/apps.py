from django.apps import AppConfig


class InquiryConfig(AppConfig):
    name = "plans.inquiry"
    label = "inquiry"
    verbose_name = "Enquête publique (public inquiry)"
