"""Staging tables: an uploaded layer copied as it is into PostGIS, before any check.

One UNLOGGED table per upload, `layers_stage_<upload id>`, in the schema
settings.LAYERS_STAGING_SCHEMA (the only one where the app's database role may
create tables; name() qualifies every staging name): the source FID,
the geometry in the file's own CRS (EPSG `srid`), why it is NULL when the
file's geometry could not be read (`geom_problem`), and every source field as
text in columns c0, c1… (the field names are kept in LayerUpload.fields).
Rows go in with COPY, a batch at a time, so memory stays bounded whatever
the file size. Validation and publishing then run as SQL on this table.
"""
import math

import numpy as np
from django.conf import settings
from django.db import connection
from psycopg.copy import QueuedLibpqWriter

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def name(table):
    """The SQL name of the staging table or view `table` (e.g. "layers_staging"."layers_stage_7_v")."""
    return f'"{settings.LAYERS_STAGING_SCHEMA}"."{table}"'


def columns_for(fields):
    """[{name, column}] for the source `fields`, in order."""
    return [{"name": name, "column": f"c{i}"} for i, name in enumerate(fields)]


def create(table, srid, fields):
    """(Re)create the staging `table` for `fields`, geometries in EPSG `srid`."""
    cols = "".join(f", c{i} text" for i in range(len(fields)))
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS {name(table)} CASCADE')
        cursor.execute(f'CREATE UNLOGGED TABLE {name(table)} (fid bigint NOT NULL, geom geometry(Geometry, {int(srid)})'
                       f', geom_problem text{cols})')


def drop(table):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS {name(table)} CASCADE')


def copy_batches(table, fields, batches, progress=None):
    """COPY the batches read by layers.publishing.reading.read_batches into `table`; returns the row count.

    One COPY for the whole layer, written from a queue by psycopg's writer
    thread: PostgreSQL parses a batch while the next one is read from the
    file and formatted, as ogr2ogr's COPY does. `progress(rows done)` after
    each batch.
    """
    columns = ", ".join(["fid", "geom", "geom_problem"] + [f"c{i}" for i in range(len(fields))])
    done = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: the queued writer needs it
        with raw.copy(f'COPY {name(table)} ({columns}) FROM STDIN', writer=QueuedLibpqWriter(raw)) as copy:
            for fids, geometries, values, problems in batches:
                copy.write(_lines(fields, fids, geometries, values, problems))
                done += len(fids)
                if progress:
                    progress(done)
    return done


def _lines(fields, fids, geometries, values, problems):
    """COPY text of one batch."""
    text_columns = [_as_text(values[name]) for name in fields]
    wkb = [g.hex() if g is not None and i not in problems else "\\N" for i, g in enumerate(geometries)]
    why = [_text(problems[i]) if i in problems else "\\N" for i in range(len(wkb))]
    return "".join("\t".join(row) + "\n" for row in zip(map(str, fids.tolist()), wkb, why, *text_columns))


def _as_text(array):
    """COPY text of a column of values (None / NaN → NULL)."""
    if array.dtype.kind in "iub":
        return [str(v) for v in array.tolist()]
    if array.dtype.kind == "f":
        return ["\\N" if math.isnan(v) else repr(v) for v in array.tolist()]
    return ["\\N" if v is None or (isinstance(v, float) and math.isnan(v)) else _text(v) for v in array.tolist()]


def _text(value):
    if isinstance(value, bytes):
        value = value.hex()
    elif isinstance(value, np.generic):
        value = value.item()
    return str(value).translate(_ESCAPES)


def finish(table):
    """Index the staging table for the checks (GiST on the geometry, FID lookups) and analyse it."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE INDEX ON {name(table)} USING gist (geom)')
        cursor.execute(f'CREATE INDEX ON {name(table)} (fid)')
        cursor.execute(f'ANALYZE {name(table)}')


def count(table):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM {name(table)}')
        return cursor.fetchone()[0]


def drop_view(view):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP VIEW IF EXISTS {name(view)}')


def geojson(table, limit=10_000):
    """The staged features as a GeoJSON FeatureCollection (bytes, lon/lat), written by PostGIS.

    Used by the validation report's map; at most `limit` features, repaired
    (make_valid) so that an invalid ring still draws.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', s.fid, 'properties', json_build_object('fid', s.fid),
                'geometry', ST_AsGeoJSON(ST_Transform(ST_MakeValid(s.geom), 4326), 7)::json)), '[]'::json))::text
            FROM (SELECT fid, geom FROM {name(table)} WHERE geom IS NOT NULL ORDER BY fid LIMIT %s) s""", [limit])
        return cursor.fetchone()[0].encode()
