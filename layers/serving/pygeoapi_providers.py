"""pygeoapi providers over the layer registry: features, records and vector tiles from PostGIS.

Chosen by name in the pygeoapi configuration (layers.serving.ogc_config). They run
the SQL of layers.serving.layer_queries on Django's persistent connection, so
PostGIS writes the GeoJSON and the MVT; they hold no state, because pygeoapi
instantiates a provider on every request.
"""
import json

from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeoapi.provider.base_mvt import BaseMVTProvider
from pygeoapi.models.provider.base import TileMatrixSetEnum

from geoportal.core.errors import ApiError

from . import layer_queries
from .feature_pages import MAX_ZOOM
from .ogc_config import base_url
from .ogc_crs import CRS84, parse_crs
from .ogc_params import ItemsQuery, search_terms
from .ogc_time import parse_datetime
from .registry import LAYERS

_LAYERS = {layer.id: layer for layer in LAYERS}
JSON_TYPES = {"date": {"type": "string", "format": "date"}, "array": {"type": "array", "items": {"type": "string"}}}


def _crs(crs_transform_spec):
    return parse_crs(crs_transform_spec.target_crs_uri if crs_transform_spec else CRS84, "crs")


class PublicLayerProvider(BaseProvider):
    """Features (or records) of one registry layer; `data` is the collection id."""

    def __init__(self, provider_def):
        super().__init__(provider_def)
        self.layer = _LAYERS[provider_def["data"]]
        self.id_field = "id"
        self.title_field = provider_def.get("title_field", self.layer.title_field)
        self._fields = self.get_fields()

    def get_fields(self):
        return {name: dict(JSON_TYPES.get(kind, {"type": kind})) for name, kind in self.layer.properties.items()}

    def query(self, offset=0, limit=10, resulttype="results", bbox=None, datetime_=None, properties=None,
              sortby=None, select_properties=None, skip_geometry=False, q=None, filterq=None,
              crs_transform_spec=None, **kwargs):
        record = self.layer.item_type == "record"
        selected = tuple(dict.fromkeys(select_properties or ())) or None
        try:
            request = ItemsQuery(limit=limit, offset=offset, crs=_crs(crs_transform_spec), filter=filterq,
                                 properties=None if record else selected,
                                 equals={name: value for name, value in (properties or [])},
                                 datetime=parse_datetime(datetime_) if datetime_ else None,
                                 q=search_terms(q) if q else (), skip_geometry=bool(skip_geometry),
                                 hits=resulttype == "hits")
            if bbox:
                request.bbox = tuple(bbox[:2]) + tuple(bbox[-2:]) if len(bbox) == 6 else tuple(bbox)
            text, returned, _, matched = layer_queries.features_page(self.layer, request)
        except ApiError as exc:
            # pygeoapi answers ProviderQueryError with a 500 "query error (check logs)": a bad query is the
            # client's, a 400 saying what is wrong.
            raise ProviderInvalidQueryError(user_msg=exc.description) from None
        features = json.loads(f"[{text}]")
        if record:
            # A record's links come from all its properties: select after building it.
            features = [self._record(feature, selected) for feature in features]
        collection = {"type": "FeatureCollection", "features": features, "numberReturned": returned}
        if matched.number is not None:
            collection["numberMatched"] = matched.number
        return collection

    def get(self, identifier, crs_transform_spec=None, **kwargs):
        try:
            feature_id = int(identifier)
        except (TypeError, ValueError):
            raise ProviderItemNotFoundError(f"item {identifier!r} is not an integer id") from None
        text = layer_queries.feature(self.layer, feature_id, _crs(crs_transform_spec))
        if text is None:
            raise ProviderItemNotFoundError(f"no item {identifier} in collection {self.layer.id}")
        feature = json.loads(text)
        return self._record(feature) if self.layer.item_type == "record" else feature

    def _record(self, feature, selected=None):
        """An OGC API Records record of a plan document: core properties and links to its data and files.

        `selected`: the properties to keep (all when None).
        """
        from django.conf import settings

        props = feature["properties"]
        props.update(type="plan-document", title=props["title_fr"],
                     description=f"{props['title_ar']} — {props['decree_reference']} ({props['effective_date']})",
                     updated=props.get("effective_date"))
        root = base_url()
        plan_id = feature["id"]
        state = props.get("legal_state")
        if state == "inquiry":
            # A draft during its inquiry: it has no decree; say first that it binds nobody.
            props.update(title=f"{props['title_fr']} — {props['notice_fr']}",
                         description=f"{props['title_ar']} — {props['notice_ar']} "
                                     f"({props['inquiry_start']} → {props['inquiry_end']})",
                         updated=props.get("inquiry_start"))
        zones, servitudes = {"history": ("zones-history", "servitudes-history"),
                             "inquiry": ("zones-inquiry", "servitudes-inquiry")}.get(state, ("zones", "servitudes"))
        links = [
            {"rel": "item", "type": "application/geo+json", "title": "Zones du plan",
             "href": f"{root}/collections/{zones}/items?plan_id={plan_id}"},
            {"rel": "item", "type": "application/geo+json", "title": "Servitudes du plan",
             "href": f"{root}/collections/{servitudes}/items?plan_id={plan_id}"},
        ]
        if state == "current":
            links += [{"rel": "item", "type": "application/geo+json", "title": title,
                       "href": f"{root}/collections/{collection}/items?plan_id={plan_id}"}
                      for collection, title in (("roads", "Voirie du plan"), ("equipment", "Équipements du plan"))]
        for attachment in props.get("attachments") or []:
            links.append({"rel": "enclosure" if attachment["kind"] != "regulation" else "describedby",
                          "type": "application/pdf", "title": attachment["title_fr"],
                          "href": f"{root.rsplit('/ogc', 1)[0]}{settings.MEDIA_URL}{attachment['file']}"})
        feature["links"] = links
        if selected:
            feature["properties"] = {name: value for name, value in props.items() if name in selected}
        return feature


class PublicTileProvider(BaseMVTProvider):
    """Mapbox vector tiles (WebMercatorQuad) of one registry layer, made by ST_AsMVT in one query.

    The tile path is the standard {tileMatrix}/{tileRow}/{tileCol} of OGC API
    – Tiles (…/{z}/{y}/{x} in XYZ terms), as the URL templates here say.
    """

    def __init__(self, provider_def):
        super().__init__(provider_def)
        self.layer = _LAYERS[provider_def["data"]]

    def __repr__(self):
        return f"<PublicTileProvider {self.layer.id}>"

    def get_layer(self):
        return self.layer.id

    def get_tiling_schemes(self):
        return [TileMatrixSetEnum.WEBMERCATORQUAD.value]

    def _urls(self, server_url, dataset, tileset="{tileMatrixSetId}"):
        tiles = f"{server_url}/collections/{dataset}/tiles/{tileset}"
        return f"{tiles}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?f=mvt", f"{tiles}/metadata"

    def get_tiles_service(self, baseurl=None, servicepath=None, dirpath=None, tile_type=None):
        template, metadata = self._urls(base_url(), self.layer.id)
        self._service_url, self._service_metadata_url = template, metadata
        return {"links": [
            {"type": "application/json", "rel": "self", "title": "Tilesets of this collection",
             "href": f"{base_url()}/collections/{self.layer.id}/tiles?f=json"},
            {"type": self.mimetype, "rel": "item", "title": "Mapbox vector tiles ({z}/{y}/{x})", "href": template},
            {"type": "application/json", "rel": "describedby", "title": "Tileset metadata",
             "href": f"{metadata}?f=json"},
        ]}

    def get_metadata(self, *args, metadata_format=None, **kwargs):
        # pygeoapi passes the format the request named, None for `Accept: */*` or no Accept (curl, most
        # libraries): that is the JSON tileset metadata, not a crash.
        return super().get_metadata(*args, metadata_format=metadata_format or "json", **kwargs)

    def get_html_metadata(self, dataset, server_url, layer, tileset, title, description, keywords, **kwargs):
        template, metadata = self._urls(server_url, dataset, tileset)
        return {"id": dataset, "title": title, "tileset": tileset, "collections_path": template,
                "json_url": f"{metadata}?f=json"}

    def get_default_metadata(self, dataset, server_url, layer, tileset, title, description, keywords, **kwargs):
        template, _ = self._urls(server_url, dataset, tileset)
        scheme = self.get_tiling_schemes()[0]
        return {
            "title": title, "description": description, "keywords": keywords, "dataType": "vector",
            "crs": scheme.crs, "tileMatrixSetURI": scheme.tileMatrixSetURI,
            "minzoom": self.layer.min_zoom, "maxzoom": MAX_ZOOM,
            # The matrices served (OGC API - Tiles 2D TMS limits): clients (GDAL's OGCAPI driver) list only these
            # zoom levels instead of the 30 of the TileMatrixSet, and never ask for a tile we answer with a 400.
            "tileMatrixSetLimits": [{"tileMatrix": str(z), "minTileRow": 0, "maxTileRow": 2 ** z - 1,
                                     "minTileCol": 0, "maxTileCol": 2 ** z - 1}
                                    for z in range(self.layer.min_zoom, MAX_ZOOM + 1)],
            "vector_layers": [{"id": self.layer.id, "fields": {name: self.layer.properties.get(name, "integer")
                                                               for name in ("id",) + self.layer.tile_properties}}],
            "links": [
                {"rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "type": "application/json",
                 "href": f"{server_url}/TileMatrixSets/{scheme.tileMatrixSet}"},
                {"rel": "item", "type": self.mimetype, "title": f"{tileset} vector tiles of {dataset}",
                 "href": template, "templated": True},
            ],
        }

