"""Writes the QGIS project that QGIS Server publishes; run by the system python3 (PyQGIS from Debian).

usage: python3 qgis_project.py OUTPUT.qgs "DSN"
"""
import sys

from qgis.core import QgsApplication, QgsDataSourceUri, QgsProject, QgsVectorLayer


def main(output, dsn):
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    published = []
    for name, table in (("parcels", "plans_parcel"), ("zones", "plans_zone")):
        uri = QgsDataSourceUri(dsn)
        uri.setDataSource("public", table, "geom", "", "id")
        uri.setSrid("4326")
        uri.setWkbType(6)  # MultiPolygon: skips QGIS's geometry-type probe of the whole table
        layer = QgsVectorLayer(uri.uri(False), name, "postgres")
        if not layer.isValid():
            sys.exit(f"QGIS cannot open {table} with {dsn!r}")
        project.addMapLayer(layer)
        published.append(layer.id())
    project.writeEntry("WFSLayers", "/", published)
    for layer_id in published:
        project.writeEntry("WFSLayersPrecision", "/" + layer_id, 8)
    project.writeEntry("WMSServiceCapabilities", "/", True)
    project.writeEntry("WMSExtent", "/", ["-17.1", "21.3", "-1.0", "35.9"])
    if not project.write(output):
        sys.exit(f"QGIS could not write {output}")
    app.exitQgis()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
