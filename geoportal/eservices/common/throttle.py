"""A per-client limit on anonymous submissions (complaints, invoices): geoportal.core.ratelimit, per hour.

ESERVICES_SUBMISSIONS_PER_HOUR (default 20) per client address and kind of submission.
"""
from django.conf import settings

from geoportal.core import ratelimit

WINDOW_S = 3600


def check_rate(request, kind):
    """Count one submission of `kind` by this client; raise TooManyRequests past the hourly limit."""
    ratelimit.check(request, f"eservices:{kind}", settings.ESERVICES_SUBMISSIONS_PER_HOUR, WINDOW_S,
                    f"more than {{limit}} {kind} submissions from your address within an hour; try again later or "
                    "contact the agency.", kind)
