"""MapServer 8 (Debian cgi-mapserver) as FastCGI behind lighttpd, answering OGC API Features from a mapfile.

MapServer 8.0 has no CQL2 filter and no OGC API Tiles, so those queries are
reported as unsupported rather than measured.
"""
from .app import WORKERS
from .base import WMS_GETMAP, Server, apt_install
from .fastcgi import lighttpd_command
from ..datasets import libpq_dsn

MAPFILE = """MAP
  NAME "bench"
  EXTENT -180 -90 180 90
  PROJECTION "init=epsg:4326" END
  WEB
    METADATA
      "ows_title" "bench"
      "ows_srs" "EPSG:4326"
      "ows_enable_request" "*"
      "oga_enable_request" "*"
      "oga_onlineresource" "{base}/mapserv/bench/ogcapi"
      "ows_onlineresource" "{base}/mapserv?map=bench&"
    END
  END
  OUTPUTFORMAT NAME "geojson" DRIVER "OGR/GEOJSON" MIMETYPE "application/json" FORMATOPTION "STORAGE=memory"
    FORMATOPTION "FORM=SIMPLE" END
{layers}END
"""

LAYER = """  LAYER
    NAME "{name}"
    TYPE POLYGON
    STATUS ON
    TEMPLATE "void"  # makes the layer queryable, hence an OGC API collection
    CONNECTIONTYPE POSTGIS
    CONNECTION "{dsn}"
    DATA "geom FROM {table} USING UNIQUE id USING SRID=4326"
    PROCESSING "CLOSE_CONNECTION=DEFER"  # FastCGI: keep the PostGIS connection between requests
    PROJECTION "init=epsg:4326" END
    METADATA
      "ows_title" "{name}"
      "gml_include_items" "all"
      "gml_featureid" "id"
      "gml_types" "auto"
      "ows_extent" "-17.1 21.3 -1.0 35.9"
      "wfs_getfeature_formatlist" "geojson"
    END
    CLASS STYLE OUTLINECOLOR 51 51 51 COLOR 224 123 57 OPACITY 55 END END
  END
"""


class MapServer(Server):
    name = "mapserver"
    label = f"MapServer 8.0 (FastCGI ×{WORKERS}, lighttpd)"
    ready_path = "/mapserv/bench/ogcapi/collections?f=json"
    urls = {
        "items": "{base}/mapserv/bench/ogcapi/collections/parcels/items?bbox={bbox}&limit={limit}&f=json",
        "item": "{base}/mapserv/bench/ogcapi/collections/parcels/items/{id}?f=json",
        "wms": "{base}/mapserv?map=bench&" + WMS_GETMAP,
        "wfs": "{base}/mapserv?map=bench&SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=parcels&COUNT=100"
               "&BBOX={latlon},urn:ogc:def:crs:EPSG::4326&OUTPUTFORMAT=geojson",
    }
    lacks = {"filter": "MapServer 8.0's OGC API has no CQL2 filter",
             "tile": "MapServer 8.0 has no OGC API Tiles (MVT only through WMS)",
             "note": "no urbanism note (a map and features server)"}

    def install(self):
        apt_install("cgi-mapserver", "mapserver-bin", "lighttpd")

    def command(self, probe, workdir):
        dsn = libpq_dsn(probe.url)
        layers = "".join(LAYER.format(name=n, dsn=dsn, table=t) for n, t in (("parcels", "plans_parcel"),
                                                                              ("zones", "plans_zone")))
        (workdir / "bench.map").write_text(MAPFILE.format(base=self.base, layers=layers))
        (workdir / "mapserver.conf").write_text(
            f'CONFIG\n  ENV\n    MS_MAP_NO_PATH "1"\n  END\n  MAPS\n    bench "{workdir}/bench.map"\n  END\nEND\n')
        argv = lighttpd_command(workdir, self.port, "/mapserv", "/usr/lib/cgi-bin/mapserv", WORKERS,
                                {"MAPSERVER_CONFIG_FILE": f"{workdir}/mapserver.conf"})
        return argv, {}
