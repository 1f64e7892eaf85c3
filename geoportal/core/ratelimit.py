"""Rate limits per client address, counted in the shared cache (Redis): one counter for every feature.

A limit is `count` requests of one `scope` (the note's anonymous issuance, a complaint, an invoice…) per
fixed window of `seconds`, for one client address (geoportal.core.client, settings.TRUSTED_PROXIES). A rate
setting reads "N/second|minute|hour|day" (e.g. NOTE_ANONYMOUS_RATE, default 30/hour); empty or "0" is off.

When Redis is down or frozen (geoportal.core.cache), each server process counts on its own, in its memory, until
Redis answers again: a client is still limited (by at most the limit times the number of server processes, for the
windows in which Redis is missing), and a limited feature never turns into an error.
"""
import time

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured

from .cache import CacheUnavailable

from .client import client_address
from .errors import TooManyRequests

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
# The counters of this process while Redis is missing (thread-safe, bounded).
_in_process = LocMemCache("geoportal-rate-limits", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


def parse_rate(text, setting="NOTE_ANONYMOUS_RATE"):
    """(count, seconds) of a rate like '30/hour', or None when the limit is off."""
    if not text or text.strip() in ("0", "off", "none"):
        return None
    try:
        count, period = text.strip().split("/")
        return int(count), PERIODS[period.strip().rstrip("s")]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"{setting}={text!r}: write it as N/minute, N/hour or N/day") from None


def hit(request, scope, limit, seconds):
    """Count one request of `scope` by this client; (over the limit?, seconds until the window ends, client)."""
    client = client_address(request)
    window = int(time.time() // seconds)
    key = f"rate:{scope}:{client}:{seconds}:{window}"
    try:
        cache.add(key, 0, timeout=seconds + 5)
        count = cache.incr(key)
    except CacheUnavailable:
        _in_process.add(key, 0, timeout=seconds + 5)
        count = _in_process.incr(key)
    return count > limit, int(seconds - time.time() % seconds) + 1, client


def check(request, scope, limit, seconds, message, parameter=None):
    """Count one request; raise TooManyRequests(`message`, formatted with limit, client and wait) past `limit`."""
    over, wait, client = hit(request, scope, limit, seconds)
    if over:
        raise TooManyRequests(message.format(limit=limit, client=client, wait=wait), parameter)


def check_anonymous(request, rate_text, scope="note", what="notes"):
    """Count one request of an anonymous client against `rate_text` ("30/hour"); signed-in users are not limited."""
    if request.user.is_authenticated:
        return
    rate = parse_rate(rate_text)
    if rate is None:
        return
    limit, seconds = rate
    unit = f"{seconds // 60 or seconds} {'minutes' if seconds >= 60 else 'seconds'}"
    check(request, scope, limit, seconds, f"anonymous clients may ask for {{limit}} {what} per {unit} from one "
          "address ({client}); try again in {wait} s, or sign in")
