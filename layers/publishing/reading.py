"""Reading vector layers with GDAL/OGR (through pyogrio): layers, CRS, text encoding, features.

The CRS is taken from the file (IGNF or ESRI .prj files are identified as
their EPSG code) or declared by the user; a file without one is refused,
never guessed. Shapefile text encoding comes from the declaration, the .cpg,
or, for a .dbf without .cpg, from its bytes (UTF-8 if they decode as such,
else the DBF default ISO-8859-1), so accents and Arabic survive.
"""
import gc
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pyogrio
from pyproj import CRS
from pyproj.exceptions import CRSError

from geoportal.core.errors import InvalidParameter, MissingParameter
from geoportal.core import file_formats

from . import malformed

VECTOR_SUFFIXES = {".gpkg", ".geojson", ".json", ".topojson", ".kml", ".dxf", ".shp"}
RASTER_SUFFIXES = {".tif", ".tiff"}
WORLD_FILE_SUFFIXES = {".tfw", ".tifw", ".pgw", ".jgw", ".wld"}
# Formats whose standard fixes the CRS (RFC 7946 GeoJSON, KML): lon/lat WGS 84.
LONLAT_DRIVERS = {"GeoJSON", "KML", "LIBKML"}


@dataclass
class Source:
    """The dataset found in an unpacked upload: a file, or a folder of shapefiles."""

    path: Path
    kind: str  # "vector" or "raster"
    files: list = field(default_factory=list)


def find_source(files, name):
    """The single dataset among `files` (an unpacked upload named `name`)."""
    files = [Path(f) for f in files]
    by_suffix = {}
    for f in files:
        by_suffix.setdefault(f.suffix.lower(), []).append(f)
    shapefiles = by_suffix.get(".shp", [])
    for shp in shapefiles:
        siblings = {f.suffix.lower() for f in files if f.parent == shp.parent and f.stem.lower() == shp.stem.lower()}
        for needed in (".shx", ".dbf"):
            if needed not in siblings:
                raise InvalidParameter(f"{name}: shapefile {shp.name} has no {needed} file; a shapefile needs its "
                                       ".shp, .shx and .dbf (and .prj): zip them together", "file")
    others = [f for f in files if f.suffix.lower() in VECTOR_SUFFIXES - {".shp"}]
    rasters = [f for f in files if f.suffix.lower() in RASTER_SUFFIXES]
    images = [f for f in files if f.suffix.lower() in {".png", ".jpg", ".jpeg"}]
    if shapefiles and not others:
        folders = {s.parent for s in shapefiles}
        if len(folders) > 1:
            raise InvalidParameter(f"{name}: shapefiles in several folders ({', '.join(sorted(map(str, folders)))}); "
                                   "put them in one folder", "file")
        return Source(folders.pop(), "vector", files)
    if len(others) == 1 and not shapefiles:
        return Source(others[0], "vector", files)
    if len(others) + len(shapefiles) > 1:
        found = ", ".join(sorted(f.name for f in others + shapefiles))
        raise InvalidParameter(f"{name} holds several datasets ({found}); upload one dataset per file", "file")
    if len(rasters) == 1:
        return Source(rasters[0], "raster", files)
    if len(images) == 1 and any(f.suffix.lower() in WORLD_FILE_SUFFIXES for f in files):
        return Source(images[0], "raster", files)
    listed = ", ".join(sorted(f.name for f in files)[:10])
    raise InvalidParameter(f"{name}: no layer found (files: {listed}); upload a GeoPackage, a zipped Shapefile, "
                           "GeoJSON, TopoJSON, KML, DXF, or a GeoTIFF / scan with its world file", "file")


def expected_format(source):
    """The Format whose drivers may open `source` (a folder of shapefiles, or one file)."""
    return file_formats.BY_SUFFIX[".shp" if source.path.is_dir() else source.path.suffix.lower()]


def list_layers(source):
    """The layers of a vector source: name, geometry type, feature count, fields, CRS as read."""
    fmt = expected_format(source)
    try:
        names = pyogrio.list_layers(source.path)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds; all mean "unreadable"
        raise InvalidParameter(f"{source.path.name}: GDAL cannot read this file as {fmt.label} "
                               f"({file_formats.gdal_message(exc, source.path, source.path.name)}); check it opens "
                               "in your GIS and export it again", "file") from None
    layers = []
    for name, geometry_type in names:
        if geometry_type is None:
            continue  # attribute-only tables (e.g. DOC_URBA.dbf) are not layers
        info = _info(source, name)
        file_formats.check_driver(info["driver"], fmt, source.path.name)
        layers.append({"name": str(name), "geometry_type": str(geometry_type), "features": int(info["features"]),
                       "fields": [str(f) for f in info["fields"]], "crs": info["crs"], "driver": info["driver"]})
    if not layers:
        raise InvalidParameter(f"{source.path.name}: no layer with geometries in this file", "file")
    return layers


def _info(source, layer, encoding=None):
    try:
        return pyogrio.read_info(source.path, layer=layer, encoding=encoding, force_feature_count=True)
    except Exception as exc:  # noqa: BLE001
        raise InvalidParameter(f"{source.path.name}: layer {layer!r} cannot be read "
                               f"({file_formats.gdal_message(exc, source.path, source.path.name)})", "file") from None


def pick_layer(layers, wanted):
    """The layer dict named `wanted`, or the only one; several layers need a choice."""
    if wanted:
        for layer in layers:
            if layer["name"] == wanted:
                return layer
        raise InvalidParameter(f"no layer {wanted!r} in the file; choose one of: "
                               + ", ".join(layer["name"] for layer in layers), "layer")
    if len(layers) > 1:
        raise MissingParameter("the file has several layers; choose one with 'layer': "
                               + ", ".join(layer["name"] for layer in layers), "layer")
    return layers[0]


def detect_srid(layer, declared=None):
    """EPSG code of the layer's coordinates: declared by the user, else identified from the file.

    Returns (srid, how). Raises MissingParameter when the file declares no
    CRS, InvalidParameter when it declares one we cannot tie to an EPSG code.
    """
    if declared:
        return _epsg(declared, "the declared CRS"), "declared"
    crs_text = layer.get("crs")
    if not crs_text:
        raise MissingParameter(f"layer {layer['name']!r} declares no coordinate system ({layer['driver']}); "
                               "give its EPSG code (e.g. srid=26191 for Merchich Nord Maroc, 4326 for lon/lat)",
                               "srid")
    return _epsg(crs_text, f"the CRS of layer {layer['name']!r}"), "file"


def _epsg(value, what):
    try:
        crs = CRS.from_user_input(int(value) if str(value).isdigit() else value)
    except CRSError as exc:
        raise InvalidParameter(f"{what} ({str(value)[:80]}) is not a coordinate system PROJ knows ({exc})",
                               "srid") from None
    code = crs.to_epsg(min_confidence=70)
    if code is None:
        raise InvalidParameter(f"{what} ({crs.name}) matches no EPSG code; export the layer in a standard CRS "
                               "or declare its EPSG code with srid=…", "srid")
    return code


def detect_encoding(source, layer, declared=None):
    """Text encoding to read the layer with, and how it was decided."""
    if declared:
        return declared, "declared"
    if layer["driver"] != "ESRI Shapefile":
        return None, "format"
    shp = next(iter(source.path.glob(f"{layer['name']}.[sS][hH][pP]")), None) if source.path.is_dir() else source.path
    base = shp.with_suffix("") if shp else source.path / layer["name"]
    cpg = next((p for p in base.parent.glob(base.name + ".*") if p.suffix.lower() == ".cpg"), None)
    if cpg is not None:
        return cpg.read_text(errors="replace").strip() or "UTF-8", ".cpg"
    dbf = next((p for p in base.parent.glob(base.name + ".*") if p.suffix.lower() == ".dbf"), None)
    if dbf is None:
        return None, "format"
    data = dbf.read_bytes()
    if data[29] != 0:  # language driver id set: GDAL knows the code page
        return None, ".dbf language driver"
    records = data[int.from_bytes(data[8:10], "little"):]  # after the header and field descriptors
    if any(b >= 0x80 for b in records):
        try:
            records.decode("utf-8")
            return "UTF-8", "detected (.dbf bytes are UTF-8)"
        except UnicodeDecodeError:
            pass
    return "ISO-8859-1", "DBF default (no .cpg)"


def read_batches(source, layer_name, encoding=None, batch_size=20_000):
    """Yield (fids, wkb geometries, {field: values}, {index: malformed geometry}) for `layer_name`, `batch_size`
    features at a time (the last item: layers.publishing.malformed.problems, GDAL's warnings of the batch).

    Geometries stay in the file's CRS; values are numpy arrays. Memory stays
    that of one batch: each batch read leaves reference cycles that hold its
    arrays (measured: +43 MB per 200,000 parcels of a GeoPackage), so they
    are collected before the next read. A layer with a FID column (GeoPackage)
    is read from where the last batch stopped (a rowid seek); others skip
    the features already read.
    """
    fid_column = pyogrio.read_info(source.path, layer=layer_name).get("fid_column") or ""
    start, last = 0, None
    while True:
        gc.collect()
        where = f'"{fid_column}" > {last}' if fid_column and last is not None else None
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                meta, fids, geometry, columns = pyogrio.raw.read(
                    source.path, layer=layer_name, encoding=encoding, skip_features=0 if fid_column else start,
                    where=where, max_features=batch_size, return_fids=True, datetime_as_string=True)
        except Exception as exc:  # noqa: BLE001
            raise InvalidParameter(f"{source.path.name}: reading layer {layer_name!r} failed after {start} features "
                                   f"({file_formats.gdal_message(exc, source.path, source.path.name)}); the file is "
                                   "probably corrupted", "file") from None
        if len(fids) == 0:
            return
        said = [str(w.message) for w in caught]
        yield fids, geometry, dict(zip(meta["fields"], columns)), malformed.problems(source.path, start, fids,
                                                                                     geometry, said)
        start, last = start + len(fids), int(fids[-1])
        if len(fids) < batch_size:
            return
