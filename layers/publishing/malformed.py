"""Malformed geometries: the features GDAL read with no geometry although the file gives them one.

GDAL turns a geometry it cannot parse (a GeoJSON polygon whose coordinates are not numbers, an unknown type, a
corrupted Shapefile record) into a NULL geometry (or an empty one, for coordinates nested wrongly), so the report would call it "no geometry" and the publisher
would look for a feature that was never drawn. Which NULLs were malformed is found from the source itself:

- GeoJSON (and other JSON text): GDAL keeps the features in file order, so the k-th feature read is the k-th
  member of "features"; its "geometry" member, when not null, is what could not be read (the file is parsed
  only when a batch has NULL geometries, and only up to MAX_JSON_BYTES);
- any format: GDAL's warnings that name a shape or feature number (Shapefile: "shape 12");
- else, a warning about geometries in the batch is quoted on its NULL features, which may be malformed.
"""
import json
import re
from functools import lru_cache

# Larger JSON files are not parsed again in memory (the upload limit allows 1 GB): their NULL geometries get
# GDAL's warning, if any, instead of the source text.
MAX_JSON_BYTES = 256 * 1024 * 1024
_NUMBERED = re.compile(r"\b(?:shape|feature|record)\s*#?\s*(\d+)", re.IGNORECASE)
_GEOMETRY_WORDS = re.compile(r"geometr|ring|shape|coordinate|corrupt", re.IGNORECASE)


def problems(path, start, fids, geometries, warnings):
    """{index in the batch: why its geometry is malformed} for the NULL (or, in JSON, empty) geometries of a batch.

    `path` the file read, `start` the batch's first feature number, `warnings` GDAL's messages while reading it.
    The staging table stores these features with a NULL geometry and the reason.
    """
    nulls = [i for i, g in enumerate(geometries) if g is None]
    is_json = str(path).lower().endswith((".geojson", ".json"))
    if is_json:
        import shapely

        empty = shapely.is_empty(shapely.from_wkb(geometries, on_invalid="ignore"))
        nulls = [i for i, g in enumerate(geometries) if g is None or empty[i]]
    if not nulls:
        return {}
    found = {}
    members = _json_geometries(str(path)) if is_json else None
    if members is not None:
        for i in nulls:
            member = members[start + i] if start + i < len(members) else None
            if member is not None:
                found[i] = "GDAL cannot read its geometry " + _snippet(member)
        return found
    numbered = {int(n) for message in warnings for n in _NUMBERED.findall(message)}
    general = [m for m in warnings if _GEOMETRY_WORDS.search(m)]
    for i in nulls:
        if int(fids[i]) in numbered:
            found[i] = "GDAL cannot read its geometry: " + next(m for m in warnings if str(int(fids[i])) in m)
        elif general and not numbered:
            found[i] = "GDAL could not read a geometry in this part of the file (" + general[0][:200] + ")"
    return found


@lru_cache(maxsize=2)
def _json_geometries(path):
    """The "geometry" member of each feature of a GeoJSON file, in order (None when absent or null)."""
    import os

    if os.path.getsize(path) > MAX_JSON_BYTES:
        return None
    try:
        with open(path, "rb") as handle:
            data = json.load(handle)
    except (ValueError, OSError):
        return None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        return None
    return tuple(json.dumps(f["geometry"])[:200] if isinstance(f, dict) and _drawn(f.get("geometry")) else None
                 for f in features)


def _drawn(member):
    """True when a GeoJSON geometry member holds something (coordinates or parts), even if GDAL cannot read it."""
    if not isinstance(member, dict):
        return member is not None
    parts = member.get("coordinates", member.get("geometries"))
    return parts is None or parts != []


def _snippet(member):
    text = member if len(member) <= 160 else member[:157] + "…"
    return f"({text})"
