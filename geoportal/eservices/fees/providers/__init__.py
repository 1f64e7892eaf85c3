"""Payment providers: one interface (base.PaymentProvider), the backend chosen by
settings.ESERVICES_PAYMENT_PROVIDER."""
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string


@lru_cache(maxsize=4)
def _load(path):
    return import_string(path)()


def get_provider():
    """The configured provider instance (default: the sandbox)."""
    return _load(settings.ESERVICES_PAYMENT_PROVIDER)
