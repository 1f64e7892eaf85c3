"""Routes of the OGC API under /ogc/ (OGC API Features, Tiles, Records)."""
from pathlib import Path

import pygeoapi
from django.urls import path, re_path
from django.views.static import serve

from . import views

PYGEOAPI_STATIC = Path(pygeoapi.__file__).parent / "static"

COLLECTION = "collections/<slug:collection_id>"

urlpatterns = [
    path("", views.landing_page, name="ogc-landing"),
    # pygeoapi's HTML pages load their stylesheet and logo from {server.url}/static/.
    re_path(r"^static/(?P<path>.+)$", serve, {"document_root": PYGEOAPI_STATIC}, name="ogc-static"),
    path("openapi", views.openapi, name="ogc-openapi"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("TileMatrixSets", views.tilematrixsets, name="ogc-tilematrixsets"),
    path("TileMatrixSets/<str:tilematrixset_id>", views.tilematrixsets, name="ogc-tilematrixset"),
    path("collections", views.collections, name="ogc-collections"),
    path(COLLECTION, views.collections, name="ogc-collection"),
    path(f"{COLLECTION}/queryables", views.queryables, name="ogc-queryables"),
    path(f"{COLLECTION}/schema", views.schema, name="ogc-schema"),
    path(f"{COLLECTION}/items", views.items, name="ogc-items"),
    re_path(r"^collections/(?P<collection_id>[-\w]+)/items/(?P<feature_id>[^/]+)$", views.item, name="ogc-item"),
    path(f"{COLLECTION}/tiles", views.tilesets, name="ogc-tilesets"),
    path(f"{COLLECTION}/tiles/<str:tilematrixset_id>", views.tileset, name="ogc-tileset"),
    path(f"{COLLECTION}/tiles/<str:tilematrixset_id>/metadata", views.tileset, name="ogc-tileset-metadata"),
    path(f"{COLLECTION}/tiles/<str:tilematrixset_id>/<int:z>/<int:y>/<int:x>", views.tile, name="ogc-tile"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
