"""GET /healthz: is the database up, with PostGIS, can GDAL be loaded, and is every GDAL guarded?"""
from django.contrib.gis import gdal
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import JsonResponse

from . import gdal_guard


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
    body.update(database=pg.split(" on ")[0], postgis=postgis, proj=proj, geos=geos)
    return JsonResponse(body)
