"""Who is asking: the client's IP address, also behind trusted reverse proxies.

Behind reverse proxies every request comes from the proxy's address: set
settings.TRUSTED_PROXY_COUNT to the number of proxies in front of the server
(default 0: REMOTE_ADDR is the client). Each proxy appends the address it was
reached from to X-Forwarded-For, so the client is the N-th entry from the
right; entries further left were written by the client and are not trusted.
A header with fewer entries than that (a request that bypassed a proxy) or an
entry that is not an IP address falls back to REMOTE_ADDR. Rate limits and
logs (notes, e-services, extracts) all read the address here.
"""
import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address, read through settings.TRUSTED_PROXY_COUNT trusted proxies."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    # Django joins repeated X-Forwarded-For headers with commas, in the order they came.
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote
