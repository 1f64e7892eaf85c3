"""The SQL that answers "which features of the plan fall in this extract, cut or whole?".

PostGIS does all geometry work: it selects the live features of the plan with
the spatial index (lon/lat storage), transforms them to the plan's Lambert CRS,
cuts them at the extract boundary (exact) or keeps them whole, measures their
area in m² (Lambert) and returns them as WKB in the output CRS.
"""
from dataclasses import dataclass

import numpy as np
from django.db import connection

from .layers import BOUNDARY, LAYERS, PARCELS, SERVITUDES, ZONES

# Per layer: the source rows (with their Lambert geometry as "l") and the attribute
# expressions, in the order of the layer's fields (before surface_m2 and decoupe).
_SOURCES = {
    ZONES.name: (
        """SELECT z.id, ST_Transform(z.geom, %(srid)s) AS l, z.code, r.label_fr, r.label_ar, r.max_height_m,
                  r.max_floors, r.cos, r.ces, r.min_lot_area_m2
           FROM plans_zone z
           JOIN plans_plandocument p ON p.id = z.plan_id AND z.revision = p.live_revision
           LEFT JOIN plans_zonerule r ON r.id = z.rule_id
           WHERE z.plan_id = %(plan)s AND z.geom && (SELECT box FROM area)""",
        "code, label_fr, label_ar, max_height_m::float8, max_floors::int, cos::float8, ces::float8, "
        "min_lot_area_m2::int",
        "code, id",
    ),
    SERVITUDES.name: (
        """SELECT s.id, ST_Transform(s.footprint, %(srid)s) AS l, s.kind, s.code, s.label_fr, s.label_ar, s.width_m
           FROM plans_servitude s
           JOIN plans_plandocument p ON p.id = s.plan_id AND s.revision = p.live_revision
           WHERE s.plan_id = %(plan)s AND s.footprint && (SELECT box FROM area)""",
        "kind, code, label_fr, label_ar, width_m::float8",
        "kind, code, id",
    ),
    PARCELS.name: (
        """SELECT c.id, ST_Transform(c.geom, %(srid)s) AS l, c.title_number, c.area_on_title_m2
           FROM plans_parcel c
           WHERE c.agency_id = %(agency)s AND c.geom && (SELECT box FROM area)""",
        "title_number, area_on_title_m2::float8",
        "title_number",
    ),
}

# The extract area in Lambert ("l") and a lon/lat box around it for the index
# (grown by ~10 m because a straight Lambert edge is not straight in lon/lat).
_AREA = """area AS (
    SELECT ST_GeomFromWKB(%(area)s, %(srid)s) AS l,
           ST_Expand(ST_Transform(ST_GeomFromWKB(%(area)s, %(srid)s), 4326), 0.0001) AS box
)"""

_FEATURES = """WITH {area}, src AS ({source})
SELECT ST_AsBinary(ST_Transform(piece, %(out_srid)s)), {columns}, ST_Area(piece), decoupe
FROM (
    SELECT src.*,
           CASE WHEN %(exact)s AND NOT ST_CoveredBy(src.l, area.l)
                THEN ST_Multi(ST_CollectionExtract(ST_Intersection(src.l, area.l), 3))
                ELSE ST_Multi(src.l) END AS piece,
           %(exact)s AND NOT ST_CoveredBy(src.l, area.l) AS decoupe
    FROM src, area
    WHERE ST_Intersects(src.l, area.l)
) cut
WHERE NOT ST_IsEmpty(piece)
ORDER BY {order}"""

_COUNT = "WITH {area}, src AS ({source}) SELECT count(*) FROM src, area WHERE ST_Intersects(src.l, area.l)"


@dataclass
class LayerData:
    """One layer's features: WKB geometries in the output CRS and one numpy array per field.

    Floats use NaN for "no value", integers are masked arrays, strings object arrays with None.
    """

    layer: object
    geometry: np.ndarray
    columns: dict

    def __len__(self):
        return len(self.geometry)


def _params(area, out_srid=None, exact=True):
    return {"area": area.lambert.wkb.tobytes(), "srid": area.srid, "plan": area.plan.id,
            "agency": area.plan.agency_id, "out_srid": out_srid or area.srid, "exact": exact}


def count_features(area, layer_names):
    """How many features each layer has in the extract area: {layer name: count}."""
    counts = {}
    with connection.cursor() as cursor:
        for name in layer_names:
            cursor.execute(_COUNT.format(area=_AREA, source=_SOURCES[name][0]), _params(area))
            counts[name] = cursor.fetchone()[0]
    return counts


def layer_features(area, name, out_srid, exact):
    """LayerData of layer `name` in `area`, cut at its boundary when `exact`, in EPSG:`out_srid`."""
    source, columns, order = _SOURCES[name]
    sql = _FEATURES.format(area=_AREA, source=source, columns=columns, order=order)
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(area, out_srid, exact))
        rows = cursor.fetchall()
    return _layer_data(LAYERS[name], rows)


def boundary_feature(area, out_srid):
    """LayerData of the extract boundary itself (layer "emprise"), in EPSG:`out_srid`."""
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {_AREA} SELECT ST_AsBinary(ST_Multi(ST_Transform(l, %(out_srid)s))), ST_Area(l) "
                       "FROM area", _params(area, out_srid))
        rows = cursor.fetchall()
    return _layer_data(BOUNDARY, rows)


def _layer_data(layer, rows):
    geometry = np.array([bytes(row[0]) for row in rows], dtype=object)
    columns = {}
    for index, field in enumerate(layer.fields, start=1):
        values = [row[index] for row in rows]
        if field.kind == "float":
            columns[field.name] = np.array([np.nan if v is None else v for v in values], dtype="float64")
        elif field.kind == "int":
            columns[field.name] = np.ma.masked_array([v or 0 for v in values], mask=[v is None for v in values],
                                                     dtype="int64")
        elif field.kind == "bool":
            columns[field.name] = np.array(values, dtype=bool)
        else:
            columns[field.name] = np.array(values, dtype=object)
    return LayerData(layer, geometry, columns)
