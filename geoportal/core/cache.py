"""The shared cache (Redis) as a cache only: when Redis fails or hangs, reads miss and writes are skipped.

settings.CACHES["default"] uses ResilientRedisCache. A Redis error or a timeout (REDIS_SOCKET_TIMEOUT) opens the
circuit for REDIS_RETRY_SECONDS: meanwhile every call answers at once, as a miss, without waiting on Redis again
(a frozen Redis would otherwise cost each request its timeout). Tiles and pages are then made by PostGIS again.
add() and incr(), which count (rate limits), raise CacheUnavailable instead of pretending: the caller decides
how to degrade (geoportal.core.ratelimit counts in the process).
"""
import logging
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
_open_until = [0.0]


class CacheUnavailable(Exception):
    """Redis did not answer (or its circuit is open): a counter cannot be read."""


def available():
    return time.monotonic() >= _open_until[0]


def _failed(exc):
    if available():
        log.warning("Redis cache unavailable (%s): going on without it for %s s", exc, settings.REDIS_RETRY_SECONDS)
    _open_until[0] = time.monotonic() + settings.REDIS_RETRY_SECONDS


def _tolerant(name, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        if not available():
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            _failed(exc)
            return fallback(*args, **kwargs)
    call.__name__ = name
    return call


def _counting(name):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        if not available():
            raise CacheUnavailable("the Redis circuit is open")
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            _failed(exc)
            raise CacheUnavailable(str(exc)) from exc
    call.__name__ = name
    return call


def _default(key, default=None, version=None):
    return default


class ResilientRedisCache(RedisCache):
    get = _tolerant("get", _default)
    get_many = _tolerant("get_many", lambda keys, version=None: {})
    has_key = _tolerant("has_key", lambda key, version=None: False)
    set = _tolerant("set", lambda *args, **kwargs: None)
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))
    touch = _tolerant("touch", lambda *args, **kwargs: False)
    delete = _tolerant("delete", lambda *args, **kwargs: False)
    delete_many = _tolerant("delete_many", lambda *args, **kwargs: None)
    add = _counting("add")
    incr = _counting("incr")
