"""Rate limit of anonymous note issuance, counted in the shared cache (Redis) per client address.

settings.NOTE_ANONYMOUS_RATE is "N/second|minute|hour|day" (default 30/hour);
an empty value or "0" turns the limit off. Signed-in users are not limited.

Behind reverse proxies every request comes from the proxy's address: set
settings.NOTE_TRUSTED_PROXY_COUNT to the number of proxies in front of the
server (default 0: REMOTE_ADDR is the client). Each proxy appends the address
it was reached from to X-Forwarded-For, so the client is the N-th entry from
the right; entries further left were written by the client and are not
trusted. A header with fewer entries than that (a request that bypassed a
proxy) or an entry that is not an IP address falls back to REMOTE_ADDR.
"""
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from api.errors import TooManyRequests

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


def client_address(request):
    """The client's IP address, read through settings.NOTE_TRUSTED_PROXY_COUNT trusted proxies."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = int(getattr(settings, "NOTE_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    # Django joins repeated X-Forwarded-For headers with commas, in the order they came.
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def check_anonymous(request):
    """Count one issuance for an anonymous client; raise TooManyRequests over the limit."""
    if request.user.is_authenticated:
        return
    rate = parse_rate(getattr(settings, "NOTE_ANONYMOUS_RATE", "30/hour"))
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
