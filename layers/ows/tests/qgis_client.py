"""QGIS's own WMS and WFS providers on /ows, headless: run by Debian's python3 (python3-qgis), not the venv.

`python3 qgis_client.py BASE_URL CODE MINX,MINY,MAXX,MAXY` (a box in EPSG:26191) prints one JSON object: what
QGIS made of the WMS layer (valid, CRS, the pixel at the box's centre) and of the WFS layer (valid, feature ids,
ids with a server-side filter code = CODE).
"""
import json
import sys

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsMapRendererParallelJob, QgsMapSettings,
                       QgsRasterLayer, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize

base, code, box = sys.argv[1], sys.argv[2], [float(v) for v in sys.argv[3].split(",")]
app = QgsApplication([], False)
app.initQgis()
out = {}
wms = QgsRasterLayer(f"crs=EPSG:26191&format=image/png&layers=zones&styles=&url={base}/ows", "zones", "wms")
out["wms_valid"] = wms.isValid()
if not wms.isValid():
    out["wms_error"] = wms.error().summary()  # (error() of a valid layer crashes QGIS 3.22)
else:
    out["wms_crs"] = wms.crs().authid()
    settings = QgsMapSettings()
    settings.setLayers([wms])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:26191"))
    settings.setExtent(QgsRectangle(*box))
    settings.setOutputSize(QSize(9, 9))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    colour = image.pixelColor(4, 4)
    out["wms_pixel"] = [colour.red(), colour.green(), colour.blue(), colour.alpha()]

uri = f"url='{base}/ows' typename='ms:zones' version='2.0.0'"
wfs = QgsVectorLayer(uri, "zones", "WFS")
out["wfs_valid"] = wfs.isValid()
if wfs.isValid():
    out["wfs_ids"] = sorted(int(f["id"]) for f in wfs.getFeatures())
    filtered = QgsVectorLayer(uri + f" filter=\"\\\"code\\\" = '{code}'\"", "zones", "WFS")
    out["wfs_filtered_ids"] = sorted(int(f["id"]) for f in filtered.getFeatures())
print(json.dumps(out), flush=True)
