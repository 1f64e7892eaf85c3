"""GET /healthz: is the database up, with PostGIS, can GDAL be loaded, and is every GDAL guarded?

The replica and Redis are reported separately ("replica", "redis"): the site answers without them (reads fall
back to the primary, tiles to PostGIS, rate limits as documented in geoportal.core.ratelimit), so their absence
makes the status "degraded" with 200 (a proxy keeps the replica in rotation), never 503.
"""
import redis
from django.conf import settings
from django.contrib.gis import gdal
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import JsonResponse

from . import gdal_guard
from .core import replica


def redis_state():
    """"ok" when Redis answers a PING within REDIS_SOCKET_TIMEOUT, else what went wrong."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
                                  socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT)
    try:
        client.ping()
        return "ok"
    except redis.RedisError as exc:
        return f"unreachable: {exc}"
    finally:
        client.close()


def healthz(request):
    """200 with versions when the database and PostGIS answer, 503 saying what failed otherwise."""
    body = {"status": "ok", "gdal": gdal.gdal_version().decode(), "gdal_guard": gdal_guard.summary()}
    if not body["gdal_guard"]["guarded"] or body["gdal_guard"]["network"] != "refused":
        return JsonResponse({**body, "status": "error"}, status=503)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version(), postgis_lib_version(), postgis_proj_version(), postgis_geos_version()")
            pg, postgis, proj, geos = cursor.fetchone()
            cursor.execute("SELECT ST_IsValid(ST_Transform(ST_SetSRID(ST_MakePoint(503243, 554174), 26191), 4326))")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": f"unreachable or without PostGIS: {exc}".strip()},
                            status=503)
    body.update(database=pg.split(" on ")[0], postgis=postgis, proj=proj, geos=geos, redis=redis_state(),
                replica=replica.health())
    if body["redis"] != "ok" or (body["replica"]["configured"] and not body["replica"]["fit"]):
        body["status"] = "degraded"
    return JsonResponse(body)
