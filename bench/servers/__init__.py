"""The servers compared: this app and its peers, each started on loopback on the dataset's database."""
from .app import App
from .mapserver import MapServer
from .pygeoapi import PygeoapiStock
from .qgis_server import QgisServer
from .tipg import Tipg

ALL = [App, Tipg, PygeoapiStock, MapServer, QgisServer]
BY_NAME = {cls.name: cls for cls in ALL}
