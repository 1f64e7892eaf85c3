"""GeoPackage, zipped Shapefile and GeoJSON writers, through GDAL (pyogrio).

Files are written in the extract's output CRS, declared by its EPSG code so
that GIS software recognises it (.prj of the Shapefiles, gpkg_spatial_ref_sys,
the GeoJSON "crs" member). Strings are UTF-8 (a .cpg says so for Shapefiles).
"""
import json
import zipfile
from contextlib import contextmanager

import numpy as np
import pyogrio
import pyogrio.raw

from ..clipping import LayerData
from ..layers import Layer

METADATA_TABLE = "metadonnees"


@contextmanager
def _no_sqlite_sync():
    """No fsync per SQLite commit while writing a GeoPackage: it is a temporary file (3–4× faster)."""
    previous = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": previous})


def _write_layer(path, data, srid, driver, **options):
    fields, values, masks = [], [], []
    for name, column in data.columns.items():
        fields.append(name)
        if isinstance(column, np.ma.MaskedArray):
            values.append(column.filled(0))
            masks.append(np.ma.getmaskarray(column))
        else:
            values.append(column)
            masks.append(None)
    pyogrio.raw.write(str(path), data.geometry, values, fields, field_mask=masks, layer=data.layer.name,
                      driver=driver, geometry_type="MultiPolygon", crs=f"EPSG:{srid}", **options)


def write_geopackage(extract, directory):
    """One GeoPackage: a table per chosen layer, the extract boundary, and a key/value metadata table."""
    path = directory / f"{extract.basename}.gpkg"
    with _no_sqlite_sync():
        _write_gpkg(path, extract)
    return path


def _write_gpkg(path, extract):
    for data in extract.layers_with_boundary():
        # GeoPackage 1.2: read without warnings by the GDAL 3.x in most desktop GIS and CAD software.
        options = {"append": True} if path.exists() else {"dataset_options": {"VERSION": "1.2"}}
        _write_layer(path, data, extract.srid, "GPKG", layer_metadata={"DESCRIPTION": data.layer.label_fr},
                     **options)
    keys = np.array(list(extract.metadata), dtype=object)
    values = np.array(list(extract.metadata.values()), dtype=object)
    pyogrio.raw.write(str(path), None, [keys, values], ["cle", "valeur"], layer=METADATA_TABLE, driver="GPKG",
                      append=True, dataset_metadata=extract.metadata)


def write_shapefiles(extract, directory):
    """A zip of one Shapefile per layer (.shp .shx .dbf .prj .cpg) plus metadonnees.txt."""
    folder = directory / extract.basename
    folder.mkdir()
    for data in extract.layers_with_boundary():
        _write_layer(folder / f"{data.layer.name}.shp", data, extract.srid, "ESRI Shapefile", encoding="UTF-8")
    (folder / f"{METADATA_TABLE}.txt").write_text(
        "".join(f"{key}: {value}\n" for key, value in extract.metadata.items()), encoding="utf-8")
    path = directory / f"{extract.basename}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(folder.iterdir()):
            archive.write(member, f"{extract.basename}/{member.name}")
    return path


def write_geojson(extract, directory):
    """One FeatureCollection: every feature carries its layer in "couche"; metadata as a collection member."""
    layers = extract.layers()
    fields = {"couche": "str"}
    for data in layers:
        fields.update({field.name: field.kind for field in data.layer.fields})
    count = sum(len(data) for data in layers)
    columns = {name: _empty(kind, count) for name, kind in fields.items()}
    start = 0
    for data in layers:
        stop = start + len(data)
        columns["couche"][start:stop] = data.layer.name
        for name, column in data.columns.items():
            columns[name][start:stop] = column
        start = stop
    geometry = np.concatenate([data.geometry for data in layers]) if layers else np.array([], dtype=object)
    merged = LayerData(Layer("extrait", "Extrait", "مستخرج", ()), geometry, columns)
    path = directory / f"{extract.basename}.geojson"
    member = json.dumps({"metadonnees": extract.metadata}, ensure_ascii=False)[1:-1]
    # Millimetres: 3 decimals in metres, 8 in degrees.
    precision = 8 if extract.srid == 4326 else 3
    _write_layer(path, merged, extract.srid, "GeoJSON",
                 layer_options={"FOREIGN_MEMBERS_COLLECTION": "{" + member + "}", "COORDINATE_PRECISION": precision})
    return path


def _empty(kind, count):
    if kind == "float":
        return np.full(count, np.nan)
    if kind == "bool":
        return np.zeros(count, dtype=bool)
    if kind == "int":
        return np.ma.masked_array(np.zeros(count, dtype="int64"), mask=np.ones(count, dtype=bool))
    return np.full(count, None, dtype=object)
