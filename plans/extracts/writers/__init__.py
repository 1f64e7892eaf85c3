"""One writer module per output format; FORMATS maps the `format` parameter to it.

A writer is a function write(extract, directory) -> Path of the file it made,
where `extract` is a service.Extract (area, request, output CRS, metadata and
the clipped layers).
"""
from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    writer: str  # "module:function" under this package
    label_fr: str
    checker: str | None = None  # "module:function" refusing a request this format cannot serve

    def write(self, extract, directory):
        return _function(self.writer)(extract, directory)

    def check(self, extract):
        """Raise an geoportal.core.errors error before any work when the format cannot serve `extract`."""
        if self.checker:
            _function(self.checker)(extract)


def _function(dotted):
    module, function = dotted.split(":")
    return getattr(import_module(f"{__name__}.{module}"), function)


FORMATS = {
    "gpkg": Format("gpkg", "application/geopackage+sqlite3", "ogr:write_geopackage", "GeoPackage (SIG)"),
    "shp": Format("zip", "application/zip", "ogr:write_shapefiles", "Shapefile zippé (SIG)"),
    "geojson": Format("geojson", "application/geo+json", "ogr:write_geojson", "GeoJSON"),
    "dxf": Format("dxf", "image/vnd.dxf", "dxf:write_dxf", "DXF en Lambert (AutoCAD)", "dxf:check_lambert"),
    "pdf": Format("pdf", "application/pdf", "pdf:write_pdf", "Carte PDF à l'échelle", "pdf:check_layout"),
    "tiff": Format("tif", "image/tiff; application=geotiff", "geotiff:write_geotiff",
                   "GeoTIFF de la planche scannée", "geotiff:check_sheet"),
}
