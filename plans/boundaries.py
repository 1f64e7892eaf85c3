"""Morocco's provinces, the product's own boundaries (data/boundaries/, ODbL, © OpenStreetMap contributors).

An agency's territory is the union of provinces a national administrator picks from this list (the staff
pages), and the sample agencies' territories come from here too (data/generator.py). Geometries are lon/lat
(EPSG:4326) MultiPolygons, made valid (the source has self-intersections a few metres wide).
"""
import re
from functools import lru_cache
from pathlib import Path

import shapely

# The files live with the rest of the product's data; read by path, so this floor imports nothing above it.
BOUNDARIES = Path(__file__).resolve().parent.parent / "data" / "boundaries"
PROVINCES = BOUNDARIES / "provinces.topojson"
ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_TIFINAGH = re.compile(r"[\u2D30-\u2D7F]+")


class UnknownProvince(KeyError):
    """A province id that is not in data/boundaries/provinces.topojson."""


@lru_cache(maxsize=1)
def _read():
    import pyogrio

    _, _, geoms, fields = pyogrio.raw.read(PROVINCES)
    return {pid: (name, wkb) for pid, name, wkb in zip(fields[0], fields[1], geoms)}


def _names(pid, name):
    """('Province de Laâyoune', 'إقليم العيون') from the source's one name (French, Tifinagh, Arabic)."""
    found = _ARABIC.search(name)
    cut = found.start() if found else len(name)
    french = " ".join(_TIFINAGH.sub(" ", name[:cut]).split())
    return french or pid, name[cut:].strip()


def provinces():
    """[(id, name_fr, name_ar)] of every province, sorted by French name (the id when the source has none)."""
    rows = [(pid, *_names(pid, name)) for pid, (name, _) in _read().items()]
    return sorted(rows, key=lambda row: row[1])


def province(province_id):
    """Lon/lat MultiPolygon of province `province_id` (e.g. 'MA-TET'), made valid."""
    try:
        _, wkb = _read()[province_id]
    except KeyError:
        raise UnknownProvince(f"province {province_id!r} is not in {PROVINCES.name}; use an id such as "
                              f"MA-TET (see data/boundaries/README.md)") from None
    return _polygons(shapely.make_valid(shapely.from_wkb(wkb)))


def union(province_ids):
    """Lon/lat MultiPolygon of several provinces together (an agency covering more than one)."""
    if not province_ids:
        raise UnknownProvince("no province chosen")
    return _polygons(shapely.union_all([province(pid) for pid in province_ids]))


def _polygons(geom):
    """The areal part of `geom` as a MultiPolygon (make_valid leaves slivers of lines beside the polygons)."""
    parts = [g for g in getattr(geom, "geoms", [geom])]
    polygons = []
    for part in parts:
        if part.geom_type == "Polygon":
            polygons.append(part)
        elif part.geom_type == "MultiPolygon":
            polygons.extend(part.geoms)
    return shapely.MultiPolygon(polygons)
