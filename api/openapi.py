"""The OpenAPI document of /ogc/ and /api/: pygeoapi's document of the OGC API plus our /api/ paths.

The /api/ paths are assembled from the routes each slice declares (api.urls
includes their api_urls modules): every route under /api/ is found in the URL
configuration and listed with its path parameters, so that nothing under /api/
is missing from the document; OWN_PATHS describes this document's own route. They are served from the site root, so
each carries its own `servers` entry. pygeoapi's document points at schemas on
schemas.opengis.net; they are replaced by local components so that the
document is self-contained (servers here have no outbound network).
"""
import re

OWN_PATHS = {
    "/api/openapi.json": {
        "get": {
            "summary": "This OpenAPI document (OGC API and /api/)",
            "operationId": "getApiOpenapi",
            "tags": ["server"],
            "responses": {"200": {"description": "OpenAPI 3.0 document",
                                  "content": {"application/vnd.oai.openapi+json;version=3.0": {}}}},
        }
    },
}

EXCEPTION = {"type": "object", "required": ["code"], "properties": {
    "code": {"type": "string"}, "description": {"type": "string"},
    "parameter": {"type": "string", "description": "the query or path parameter at fault"}}}
LINK = {"type": "object", "required": ["href"], "properties": {
    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"}}}


def _response(description, media="application/json", schema=None):
    return {"description": description, "content": {media: {"schema": schema or {"type": "object"}}}}


def _path_parameter(name, description, schema):
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


LOCAL = {
    "responses": {
        "InvalidParameter": _response("A parameter is invalid; `parameter` names it",
                                      schema={"$ref": "#/components/schemas/exception"}),
        "NotFound": _response("No such collection, item or tile matrix set",
                              schema={"$ref": "#/components/schemas/exception"}),
        "ServerError": _response("Server error", schema={"$ref": "#/components/schemas/exception"}),
        "Features": _response("A page of features", "application/geo+json"),
        "Feature": _response("One feature", "application/geo+json"),
        "Collection": _response("A collection's description"),
        "LandingPage": _response("The landing page"),
    },
    "parameters": {
        "featureId": _path_parameter("featureId", "Identifier of a feature (integer)", {"type": "string"}),
        "tileMatrixSetId": _path_parameter("tileMatrixSetId", "Tile matrix set: WebMercatorQuad",
                                           {"type": "string", "enum": ["WebMercatorQuad"]}),
        "tileMatrix": _path_parameter("tileMatrix", "Zoom level z (0–22)",
                                      {"type": "integer", "minimum": 0, "maximum": 22}),
        "tileCol": _path_parameter("tileCol", "Column x of the tile (0 … 2^z − 1), after the row",
                                   {"type": "integer", "minimum": 0}),
        "tileRow": _path_parameter("tileRow", "Row y of the tile (0 … 2^z − 1, from the north)",
                                   {"type": "integer", "minimum": 0}),
        "sortby": {"name": "sortby", "in": "query", "required": False, "schema": {"type": "string"},
                   "description": "Not supported: items are ordered by id"},
        "q": {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
              "description": "Free-text search (records)"},
    },
    "schemas": {"exception": EXCEPTION, "link": LINK},
}


def _local_ref(ref):
    """The local component replacing an external $ref.

    e.g. …/responses/NotFound.yaml → #/components/responses/NotFound.
    """
    name = ref.rstrip("/").rsplit("/", 1)[-1].split("#")[-1].removesuffix(".yaml")
    for section in ("responses", "parameters", "schemas"):
        if f"/{section}/" in ref and name in LOCAL[section]:
            return f"#/components/{section}/{name}"
    raise ValueError(f"no local component for OpenAPI reference {ref}")


def _localise(node):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("http"):
            return {"$ref": _local_ref(ref)}
        return {key: _localise(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_localise(value) for value in node]
    return node


CONVERTER_SCHEMAS = {"int": {"type": "integer", "minimum": 0}, "uuid": {"type": "string", "format": "uuid"},
                     "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}}
_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def discovered_api_paths():
    """{"/api/…": path item} for the routes under /api/ that OWN_PATHS does not describe."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = {}

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/") and "(?P" not in route:
                parameters = [{"name": m["name"], "in": "path", "required": True,
                               "schema": CONVERTER_SCHEMAS.get(m["converter"], {"type": "string"})}
                              for m in _CONVERTER.finditer(route)]
                path = "/" + _CONVERTER.sub(lambda m: "{" + m["name"] + "}", route)
                found[path] = {"get": {
                    "summary": f"{pattern.name or path} (found in the URL configuration; see its app for details)",
                    "operationId": f"get_{pattern.name or path}", "tags": ["api"], "parameters": parameters,
                    "responses": {"default": {"description": "JSON, or an OGC exception JSON on error"}},
                }}

    walk(get_resolver().url_patterns, "")
    return {path: item for path, item in found.items() if path not in OWN_PATHS}


def with_api_paths(oas, ogc_url):
    """`oas` (pygeoapi's document, served at `ogc_url`) self-contained, with our tile paths and /api/ paths."""
    oas = _localise(oas)
    components = oas.setdefault("components", {})
    for section, items in LOCAL.items():
        components.setdefault(section, {}).update(items)
    root = ogc_url.rsplit("/ogc", 1)[0]
    for path, item in {**discovered_api_paths(), **OWN_PATHS}.items():
        oas["paths"][path] = dict(item, servers=[{"url": root}])
    return oas
