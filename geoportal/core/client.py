"""Who is asking: the client's IP address, also behind trusted reverse proxies.

settings.TRUSTED_PROXIES lists the addresses or networks (CIDR) of the
reverse proxies in front of the server (default none: REMOTE_ADDR is the
client and X-Forwarded-For is ignored). The header is read only when the
request comes from one of them. Each proxy appends the address it was
reached from, so the header is read from the right: entries that are
trusted proxies are skipped, and the first one that is not is the client;
what lies further left was written by the client and is never trusted. An
entry that is not an IP address stops the walk at the last hop read (a
header whose entries are all trusted proxies gives its leftmost one). Rate
limits and logs (notes, e-services, extracts) all read the address here.
"""
import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def trusted_networks(proxies):
    """The ip_network of each entry of `proxies` (a tuple of addresses or CIDRs)."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in proxies)


def _trusted(address, networks):
    return any(address in network for network in networks if address.version == network.version)


def client_address(request):
    """The client's IP address, read through the trusted proxies of settings.TRUSTED_PROXIES."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES or ()))
    try:
        hop = ipaddress.ip_address(remote)
    except ValueError:
        return remote
    if not _trusted(hop, networks):
        return remote
    # Django joins repeated X-Forwarded-For headers with commas, in the order they came.
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    for entry in reversed(entries):
        try:
            hop = ipaddress.ip_address(entry)
        except ValueError:
            break
        if not _trusted(hop, networks):
            break
    return str(hop)
