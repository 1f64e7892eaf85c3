"""Read an outline from an uploaded file: GeoJSON, KML, zipped Shapefile or DXF (a parcel for the note, a
plan's perimeter for plans.lifecycle).

Returns the outline as one shapely geometry in the file's own coordinates
and the EPSG code the file declares (None when it declares none: DXF, a
Shapefile without .prj). The bytes decide the format (geoportal.core.file_formats)
and the name must agree. GeoJSON is read by plans.outlines, without GDAL; KML
by GDAL's KML driver alone; of a zip only one Shapefile's .shp, .shx, .dbf,
.prj and .cpg are written, under names the server chooses, into a private
folder read by the Shapefile driver; DXF by ezdxf (closed polylines).
Heights in files (KML altitudes) are dropped.
"""
import io
import re
import tempfile
import zipfile
from pathlib import Path

import shapely
from django.conf import settings

from plans import outlines
from geoportal.core.body import parse_json
from geoportal.core.errors import InvalidParameter, TooLarge
from geoportal.core import file_formats

ACCEPTED = tuple(f for f in file_formats.FORMATS if f.label in ("GeoJSON", "KML", "zip archive", "DXF"))
FORMAT_NAMES = {"GeoJSON": "GeoJSON", "KML": "KML", "zip archive": "Shapefile (zip)", "DXF": "DXF"}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SHAPEFILE = next(f for f in file_formats.FORMATS if f.label == "ESRI Shapefile")
_EPSG_NAME = re.compile(r"EPSG:+(?:[\d.]*:)?(\d{4,5})$", re.IGNORECASE)


def supported():
    return ", ".join(f"{FORMAT_NAMES[f.label]} ({'/'.join(f.suffixes)})" for f in ACCEPTED)


def max_file_bytes(limit_setting="NOTE_MAX_FILE_BYTES"):
    return int(getattr(settings, limit_setting))


def read_outline(filename, data, limit_setting="NOTE_MAX_FILE_BYTES", what="a parcel outline"):
    """(shapely geometry, declared EPSG code or None, format name) of an uploaded file's features.

    `limit_setting` names the setting that caps the file's size (and, ten times over, what a zip expands to);
    `what` says in the messages what the file should be.
    """
    if not data:
        raise InvalidParameter(f"file {filename!r} is empty", "file")
    limit = max_file_bytes(limit_setting)
    if len(data) > limit:
        raise TooLarge(f"file {filename!r} is {len(data) / 2**20:.1f} MiB; the limit is "
                       f"{limit / 2**20:.1f} MiB for {what} ({limit_setting})", "file")
    fmt = file_formats.check(filename, data[:file_formats.HEAD_BYTES], ACCEPTED)
    if fmt.label == "DXF":
        return _read_dxf(filename, data), None, "DXF"
    if fmt.label == "GeoJSON":
        return (*_read_geojson(filename, data), "GeoJSON")
    with tempfile.TemporaryDirectory(prefix="note-outline-") as folder:
        if fmt.label == "KML":
            file_formats.scan_kml(filename, [data])
            path = Path(folder) / "outline.kml"
            path.write_bytes(data)
        else:
            path, fmt = _unzip_shapefile(filename, data, Path(folder), 10 * limit, what), SHAPEFILE
        return (*_read_gdal(filename, path, fmt), FORMAT_NAMES.get(fmt.label, "Shapefile (zip)"))


def _read_geojson(filename, data):
    document = parse_json(data, "file", f"file {filename!r}")
    shape = outlines.from_geojson(document, "file", drop_z=True)
    return shape, _geojson_crs(document.get("crs") if isinstance(document, dict) else None, filename)


def _geojson_crs(crs, filename):
    """EPSG code named by a (2008 GeoJSON) "crs" member; none means RFC 7946 lon/lat. Links are not followed."""
    if crs is None:
        return 4326
    name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) and crs.get("type") == "name" else None
    if isinstance(name, str) and name.upper().endswith("CRS84"):
        return 4326
    match = _EPSG_NAME.search(name) if isinstance(name, str) else None
    if match is None:
        raise InvalidParameter(f"file {filename!r}: the GeoJSON \"crs\" must name an EPSG code (e.g. "
                               "urn:ogc:def:crs:EPSG::26191) or be left out for lon/lat; links to other documents "
                               "are not followed", "file")
    return int(match.group(1))


def _unzip_shapefile(filename, data, folder, budget, what):
    """The .shp of the zip's one Shapefile, written with its side files into `folder`; nothing else is kept."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if not i.is_dir()
                   and file_formats.suffix_of(i.filename) in SHAPEFILE_PARTS and "__MACOSX" not in i.filename]
    except zipfile.BadZipFile as exc:
        raise InvalidParameter(f"file {filename!r} is not a readable zip ({exc})", "file") from None
    shapefiles = [m for m in members if file_formats.suffix_of(m.filename) == ".shp"]
    if len(shapefiles) != 1:
        raise InvalidParameter(f"file {filename!r}: a zip must hold one Shapefile (.shp with its .shx and .dbf, and "
                               f"its .prj); it holds {len(shapefiles)}", "file")
    base = str(Path(shapefiles[0].filename).with_suffix("")).lower()
    parts = {file_formats.suffix_of(m.filename): m for m in members
             if str(Path(m.filename).with_suffix("")).lower() == base}
    for needed in (".shx", ".dbf"):
        if needed not in parts:
            raise InvalidParameter(f"file {filename!r}: the Shapefile has no {needed}; zip its .shp, .shx, .dbf and "
                                   ".prj together", "file")
    written = 0
    for suffix, info in parts.items():
        target = folder / f"outline{suffix}"  # names chosen here: nothing of the entry's name reaches the disk
        try:
            with archive.open(info) as source, open(target, "wb") as out:
                while chunk := source.read(1 << 16):
                    written += len(chunk)
                    if written > budget:
                        raise TooLarge(f"file {filename!r} expands to over {budget / 2**20:.0f} MiB; {what} "
                                       "is far smaller", "file")
                    out.write(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise InvalidParameter(f"file {filename!r}: entry {Path(info.filename).name!r} cannot be unzipped "
                                   f"({exc})", "file") from None
        file_formats.check_file(target, Path(info.filename).name)
    return folder / "outline.shp"


def _read_gdal(filename, path, fmt):
    import pyogrio

    try:
        file_formats.check_driver(pyogrio.read_info(path)["driver"], fmt, filename)
        meta, _, wkbs, _ = pyogrio.raw.read(path, force_2d=True)
        geoms = [g for g in shapely.from_wkb([w for w in wkbs if w is not None]) if not g.is_empty]
    except InvalidParameter:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL and shapely raise many kinds; all mean "unreadable"
        raise InvalidParameter(f"file {filename!r} could not be read as {fmt.label}: "
                               f"{file_formats.gdal_message(exc, path, filename)}", "file") from None
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
    if crs.is_geographic:  # KML is always WGS 84
        return 4326
    return crs.to_epsg(min_confidence=70)


def _read_dxf(filename, data):
    import ezdxf

    text = data.decode("utf-8", errors="surrogateescape")
    try:
        doc = ezdxf.read(io.StringIO(text))
        rings = []
        for entity in doc.modelspace().query("LWPOLYLINE POLYLINE"):
            points = [tuple(p[:2]) for p in (entity.get_points("xy") if entity.dxftype() == "LWPOLYLINE"
                                              else (v.dxf.location for v in entity.vertices))]
            outlines.check_vertex_count(len(points), "file")
            if (entity.is_closed or (len(points) > 3 and points[0] == points[-1])) and len(points) >= 3:
                rings.append(shapely.Polygon(points))
    except (InvalidParameter, TooLarge):
        raise
    except Exception as exc:  # noqa: BLE001 - ezdxf raises DXFError, ValueError, KeyError… on broken drawings
        raise InvalidParameter(f"file {filename!r} is not a readable DXF drawing: {str(exc)[:200]}", "file") from None
    if not rings:
        raise InvalidParameter(f"file {filename!r}: no closed polyline in the DXF model space; draw the parcel "
                               "boundary as a closed LWPOLYLINE", "file")
    return _combine(rings)


def _combine(geoms):
    return geoms[0] if len(geoms) == 1 else shapely.GeometryCollection(geoms)
