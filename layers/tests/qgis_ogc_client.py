"""QGIS's own OGC API Features and vector tile providers on /ogc, headless: run by Debian's python3
(python3-qgis), not the venv.

`python3 qgis_ogc_client.py BASE_URL DAY MINX,MINY,MAXX,MAXY CODE X,Y,X,Y X,Y,X,Y` prints one JSON object:
- the OAPIF layer made from BASE_URL/ogc exactly as a user pastes it (no trailing slash): valid or not, its
  features as sorted [plan_id, code] pairs (QGIS 3.22 numbers features itself and drops the GeoJSON id);
- the ids under a spatial filter (the lon/lat box), which QGIS sends to the server as `bbox=`;
- the ids of `"effective_date" <= DAY`, which QGIS 3.22 sends to the server as `datetime=0000-01-01…/DAY`;
- the vector tile layer made from our WebMercatorQuad tiles (the XYZ template QGIS users paste), drawn with
  one colour for zones of code CODE and another for the rest, and the colour QGIS drew at the centre of each of
  the two EPSG:3857 boxes.
"""
import json
import sys
import urllib.parse

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsFeatureRequest, QgsFillSymbol,
                       QgsMapRendererParallelJob, QgsMapSettings, QgsRectangle, QgsVectorLayer,
                       QgsVectorTileBasicRenderer, QgsVectorTileBasicRendererStyle, QgsVectorTileLayer)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor

base, day, bbox, code = sys.argv[1], sys.argv[2], [float(v) for v in sys.argv[3].split(",")], sys.argv[4]
boxes = [[float(v) for v in arg.split(",")] for arg in sys.argv[5:7]]
app = QgsApplication([], False)
app.initQgis()
out = {}


def ids(layer, request=None):
    return sorted([int(f["plan_id"]), f["code"]] for f in layer.getFeatures(request or QgsFeatureRequest()))


oapif = QgsVectorLayer(f"url='{base}/ogc' typename='zones'", "zones", "OAPIF")
out["oapif_valid"] = oapif.isValid()
if oapif.isValid():
    out["oapif_ids"] = ids(oapif)
    fresh = QgsVectorLayer(f"url='{base}/ogc' typename='zones'", "zones", "OAPIF")  # nothing cached yet
    out["oapif_bbox_ids"] = ids(fresh, QgsFeatureRequest().setFilterRect(QgsRectangle(*bbox)))
    dated = QgsVectorLayer(f"url='{base}/ogc' typename='zones' filter=\"\\\"effective_date\\\" <= '{day}'\"",
                           "zones", "OAPIF")
    out["oapif_dated_valid"] = dated.isValid()
    out["oapif_dated_ids"] = ids(dated) if dated.isValid() else None
else:
    out["oapif_error"] = oapif.error().summary()

template = f"{base}/ogc/collections/zones/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt"
tiles = QgsVectorTileLayer(f"type=xyz&url={urllib.parse.quote(template, safe='')}&zmin=0&zmax=22", "zones")
out["tiles_valid"] = tiles.isValid()
if tiles.isValid():
    styles = []
    for name, expression, colour in (("code", f"\"code\" = '{code}'", "255,0,0"),
                                     ("other", f"\"code\" <> '{code}'", "0,0,255")):
        style = QgsVectorTileBasicRendererStyle(name, "zones", 2)  # 2: polygons
        style.setFilterExpression(expression)
        style.setSymbol(QgsFillSymbol.createSimple({"color": colour, "outline_style": "no"}))
        styles.append(style)
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles(styles)
    tiles.setRenderer(renderer)
    out["tiles_pixels"] = []
    for box in boxes:
        settings = QgsMapSettings()
        settings.setLayers([tiles])
        settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
        settings.setExtent(QgsRectangle(*box))
        settings.setOutputSize(QSize(9, 9))
        settings.setBackgroundColor(QColor(Qt.white))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        colour = job.renderedImage().pixelColor(4, 4)
        out["tiles_pixels"].append([colour.red(), colour.green(), colour.blue()])
print(json.dumps(out), flush=True)
