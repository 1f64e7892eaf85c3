"""GET /healthz: is the database up, with PostGIS, and can GDAL be loaded?"""
from django.contrib.gis import gdal
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import JsonResponse


def healthz(request):
    """200 with versions when the database and PostGIS answer, 503 saying what failed otherwise."""
    body = {"status": "ok", "gdal": gdal.gdal_version().decode()}
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
