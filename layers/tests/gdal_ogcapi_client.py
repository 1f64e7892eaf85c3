"""GDAL's OGCAPI driver (OGC API - Tiles, vector) on our collection, as `ogrinfo OGCAPI:…` reads it: run by the
venv's python outside Django (whose GDAL guard removes the network drivers from every GDAL in its process).

Debian's GDAL 3.6.2 cannot be the client: its OGCAPI driver was compiled without the vector-tiles branch (the
`#ifdef OGR_ENABLE_DRIVER_GML` that GDAL's CMake build never defined for that driver, fixed in GDAL 3.7.1 by
OSGeo/gdal#7993: its library has no "vectorType" string), so it fails silently after reading the tile matrix
set, whatever the server answers. pyogrio's wheel bundles a current GDAL with the same driver.

`python gdal_ogcapi_client.py COLLECTION_URL ZOOM MINX,MINY,MAXX,MAXY` (a box in EPSG:3857) prints one JSON
object: GDAL's version, the driver that opened the URL, its layers, and the MVT ids and codes of the features
GDAL read from the tiles of zoom level ZOOM under the box. The box also goes as MINX…MAXY open options: for
vector tiles the driver takes the collection's CRS84 extent as TileMatrixSet coordinates unless told.
"""
import json
import sys

import pyogrio
import pyogrio.raw

url, zoom, box = f"OGCAPI:{sys.argv[1]}", sys.argv[2], [float(v) for v in sys.argv[3].split(",")]
extent = dict(zip(("MINX", "MINY", "MAXX", "MAXY"), map(repr, box)))
layer = f"Zoom level {zoom}"
info = pyogrio.read_info(url, layer=layer, **extent)
meta, _, _, fields = pyogrio.raw.read(url, layer=layer, bbox=tuple(box), columns=["mvt_id", "code"], **extent)
print(json.dumps({
    "gdal": pyogrio.__gdal_version_string__,
    "driver": info["driver"],
    "crs": info["crs"],
    "layers": [str(name) for name, _ in pyogrio.list_layers(url)],
    "features": sorted({(int(i), str(c)) for i, c in zip(*fields)}),
}), flush=True)
