"""Read a parcel outline from an uploaded file: GeoJSON, KML, zipped Shapefile or DXF.

Returns the outline as one shapely geometry in the file's own coordinates
and the EPSG code the file declares (None when it declares none: DXF, a
Shapefile without .prj). GeoJSON, KML and Shapefile go through GDAL
(pyogrio, from memory); DXF through ezdxf (closed polylines).
"""
import io
import json

import shapely

from api.errors import InvalidParameter

FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML", ".zip": "Shapefile (zip)", ".dxf": "DXF"}
MAX_FILE_BYTES = 5 * 1024 * 1024


def supported():
    return ", ".join(sorted(set(f"{name} ({ext})" for ext, name in FORMATS.items())))


def read_outline(filename, data):
    """(shapely geometry, declared EPSG code or None, format name) of an uploaded file's features."""
    name = (filename or "").lower()
    ext = next((e for e in FORMATS if name.endswith(e)), None)
    if ext is None:
        raise InvalidParameter(f"file {filename!r}: unsupported format; send one of {supported()}", "file")
    if not data:
        raise InvalidParameter(f"file {filename!r} is empty", "file")
    if len(data) > MAX_FILE_BYTES:
        raise InvalidParameter(f"file {filename!r} is {len(data) // 1024} KB; the limit is "
                               f"{MAX_FILE_BYTES // 1024 // 1024} MB for a parcel outline", "file")
    if ext == ".dxf":
        return _read_dxf(filename, data), None, "DXF"
    if ext in (".geojson", ".json"):
        try:
            json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidParameter(f"file {filename!r} is not valid JSON: {exc}", "file") from None
    return (*_read_gdal(filename, data), FORMATS[ext])


def _read_gdal(filename, data):
    import pyogrio
    from pyogrio.errors import DataSourceError, DataLayerError

    try:
        meta, _, wkbs, _ = pyogrio.raw.read(io.BytesIO(data))
    except (DataSourceError, DataLayerError, OSError, ValueError) as exc:
        raise InvalidParameter(f"file {filename!r} could not be read: {str(exc).splitlines()[0]}", "file") from None
    geoms = [g for g in shapely.from_wkb([w for w in wkbs if w is not None]) if not g.is_empty] if len(wkbs) else []
    if not geoms:
        raise InvalidParameter(f"file {filename!r} holds no geometry", "file")
    return _combine(geoms), _epsg(meta.get("crs"))


def _epsg(crs_text):
    if not crs_text:
        return None
    from pyproj import CRS

    try:
        crs = CRS.from_user_input(crs_text)
    except Exception:  # noqa: BLE001 - pyproj raises CRSError and others; an unreadable CRS is "none declared"
        return None
    if crs.is_geographic:  # KML is always WGS 84; GeoJSON's CRS84 is lon/lat WGS 84 too
        return 4326
    return crs.to_epsg(min_confidence=70)


def _read_dxf(filename, data):
    import ezdxf

    text = data.decode("utf-8", errors="surrogateescape")
    try:
        doc = ezdxf.read(io.StringIO(text))
    except (ezdxf.DXFError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidParameter(f"file {filename!r} is not a readable DXF drawing: {exc}", "file") from None
    rings = []
    for entity in doc.modelspace().query("LWPOLYLINE POLYLINE"):
        points = [tuple(p[:2]) for p in (entity.get_points("xy") if entity.dxftype() == "LWPOLYLINE"
                                          else (v.dxf.location for v in entity.vertices))]
        if entity.is_closed or (len(points) > 3 and points[0] == points[-1]):
            if len(points) >= 3:
                rings.append(shapely.Polygon(points))
    if not rings:
        raise InvalidParameter(f"file {filename!r}: no closed polyline in the DXF model space; draw the parcel "
                               "boundary as a closed LWPOLYLINE", "file")
    return _combine(rings)


def _combine(geoms):
    return geoms[0] if len(geoms) == 1 else shapely.GeometryCollection(geoms)
