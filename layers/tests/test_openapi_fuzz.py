"""Schemathesis over the OpenAPI document of /ogc/ and /api/: no request may get a 5xx.

A bounded number of examples per operation keeps the run under two minutes.
"""
import sys

import schemathesis
from hypothesis import HealthCheck, given, settings


def test_no_server_error(live_server_url):
    # Driven by hand: schemathesis's pytest plugin does not run under pytest 9.
    schema = schemathesis.openapi.from_url(f"{live_server_url}/api/openapi.json?f=json")
    failures, calls = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()  # raises if the document has an unresolvable part

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case):
            nonlocal calls
            calls += 1
            response = case.call(timeout=30)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {case.method} {response.request.url}")

        run()
    assert calls > 100, f"only {calls} requests were generated"
    assert not failures, "\n".join(failures[:20])


def test_openapi_covers_ogc_and_api(live_server_url):
    import json
    import urllib.request

    with urllib.request.urlopen(f"{live_server_url}/ogc/openapi?f=json", timeout=30) as response:
        document = json.loads(response.read())
    paths = document["paths"]
    for path in ("/collections/zones/items", "/collections/zones/items/{featureId}", "/conformance",
                 "/collections/catalogue/items", "/api/openapi.json"):
        assert path in paths, path
    assert any(p.startswith("/collections/parcels/tiles") for p in paths)


def _probe(request, number):  # a stand-in /api/ view for the discovery test
    raise AssertionError("never called")


def test_routes_under_api_are_listed_even_when_not_described():
    from django.test import override_settings
    from django.urls import include, path

    from api.openapi import discovered_api_paths

    module = type(sys)("probe_urls")
    module.urlpatterns = [path("api/", include([path("probes/<uuid:number>", _probe, name="api-probe")])),
                          path("elsewhere/<int:n>", _probe)]
    sys.modules["probe_urls"] = module
    with override_settings(ROOT_URLCONF="probe_urls"):
        paths = discovered_api_paths()
    assert list(paths) == ["/api/probes/{number}"]
    (parameter,) = paths["/api/probes/{number}"]["get"]["parameters"]
    assert parameter["name"] == "number" and parameter["schema"]["format"] == "uuid"
