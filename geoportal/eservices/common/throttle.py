"""A per-client limit on anonymous submissions (complaints, invoices), counted in the shared Redis cache.

ESERVICES_SUBMISSIONS_PER_HOUR (default 20) per client address and kind of submission.
"""
from django.conf import settings
from django.core.cache import cache

from geoportal.core.client import client_address
from geoportal.core.errors import TooManyRequests

WINDOW_S = 3600


def check_rate(request, kind):
    """Count one submission of `kind` by this client; raise TooManyRequests past the hourly limit."""
    limit = settings.ESERVICES_SUBMISSIONS_PER_HOUR
    key = f"eservices:rate:{kind}:{client_address(request)}"
    cache.add(key, 0, WINDOW_S)
    count = cache.incr(key)
    if count > limit:
        raise TooManyRequests(f"more than {limit} {kind} submissions from your address within an hour; "
                              "try again later or contact the agency.", kind)
