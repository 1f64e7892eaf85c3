"""Rate limit of anonymous note issuance, counted in the shared cache (Redis) per client address.

settings.NOTE_ANONYMOUS_RATE is "N/second|minute|hour|day" (default 30/hour);
an empty value or "0" turns the limit off. Signed-in users are not limited.

The client's address comes from geoportal.core.client (settings.TRUSTED_PROXIES).
"""
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from .client import client_address
from .errors import TooManyRequests

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(text):
    """(count, seconds) of a rate like '30/hour', or None when the limit is off."""
    if not text or text.strip() in ("0", "off", "none"):
        return None
    try:
        count, period = text.strip().split("/")
        return int(count), PERIODS[period.strip().rstrip("s")]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"NOTE_ANONYMOUS_RATE={text!r}: write it as N/minute, N/hour or N/day") from None


def check_anonymous(request):
    """Count one issuance for an anonymous client; raise TooManyRequests over the limit."""
    if request.user.is_authenticated:
        return
    rate = parse_rate(settings.NOTE_ANONYMOUS_RATE)
    if rate is None:
        return
    limit, seconds = rate
    client = client_address(request)
    window = int(time.time() // seconds)
    key = f"note-rate:{client}:{seconds}:{window}"
    cache.add(key, 0, timeout=seconds + 5)
    count = cache.incr(key)
    if count > limit:
        wait = int(seconds - time.time() % seconds) + 1
        raise TooManyRequests(f"anonymous clients may ask for {limit} notes per {seconds // 60 or seconds} "
                              f"{'minutes' if seconds >= 60 else 'seconds'} from one address ({client}); try again "
                              f"in {wait} s, or sign in")
