"""The OpenAPI document of /ogc/ and /api/: pygeoapi's document of the OGC API plus our /api/ paths.

Apps that add endpoints under /api/ register their OpenAPI path items in
API_PATHS ({"/api/…": {...}}); they are served from the site root, so each
carries its own `servers` entry.
"""
API_PATHS = {
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


def with_api_paths(oas, ogc_url):
    """`oas` (pygeoapi's document, served at `ogc_url`) with the /api/ paths added."""
    root = ogc_url.rsplit("/ogc", 1)[0]
    for path, item in API_PATHS.items():
        oas["paths"][path] = dict(item, servers=[{"url": root}])
    return oas
