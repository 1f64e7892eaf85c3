"""The conformance page of /ogc lists exactly the classes a test of ours proves, each with the test that proves it.

A class declared without a proof here fails, and so does a proof naming a test that no longer exists: adding a
conformance class means naming the test (a real client or an ORM oracle) that shows it.
"""
import importlib

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
SPEC = "http://www.opengis.net/spec/"
PROOFS = {
    "ogcapi-common-1/1.0/conf/core": "test_ogc_http.test_ogc_without_slash_is_the_landing_page_with_existing_links_only",
    "ogcapi-common-1/1.0/conf/landing-page": "test_ogc_http.test_ogc_without_slash_is_the_landing_page_with_existing_links_only",
    "ogcapi-common-1/1.0/conf/json": "test_ogc_http.test_every_answer_is_cors_open_and_varies_on_accept",
    "ogcapi-common-1/1.0/conf/html": "test_filters_and_pages.test_html_pages_load_nothing_from_outside",
    "ogcapi-common-1/1.0/conf/oas30": "test_openapi_fuzz.test_no_server_error",
    "ogcapi-common-2/1.0/conf/collections": "test_ogc_clients.test_owslib_lists_collections_and_pages_items",
    "ogcapi-features-1/1.0/conf/core": "test_ogc_qgis.test_qgis_reads_features_filters_on_the_server_and_draws_the_vector_tiles",
    "ogcapi-features-1/1.0/conf/geojson": "test_ogc_clients.test_gdal_oapif_reads_the_whole_collection",
    "ogcapi-features-1/1.0/conf/html": "test_ogc_browser.test_item_page_map_has_a_height",
    "ogcapi-features-1/1.0/conf/oas30": "test_ogc_items.test_datetime_is_in_the_openapi_and_the_collections_say_their_temporal_extent",
    "ogcapi-features-2/1.0/conf/crs": "test_ogc_clients.test_lambert_output_and_bbox_crs",
    "ogcapi-features-3/1.0/conf/queryables": "test_filters_and_pages.test_queryables_are_the_properties_a_filter_accepts",
    "ogcapi-features-3/1.0/conf/queryables-query-parameters":
        "test_filters_and_pages.test_property_equality_parameters_and_properties_selection",
    "ogcapi-features-3/1.0/conf/filter": "test_ogc_clients.test_cql2_text_and_json_filters",
    "ogcapi-features-3/1.0/conf/features-filter": "test_ogc_clients.test_cql2_text_and_json_filters",
    "cql2/1.0/conf/cql2-text": "test_ogc_clients.test_cql2_text_and_json_filters",
    "cql2/1.0/conf/cql2-json": "test_ogc_clients.test_cql2_text_and_json_filters",
    "cql2/1.0/conf/basic-cql2": "test_filters_and_pages.test_comparison_in_between_null_and_not",
    "cql2/1.0/conf/advanced-comparison-operators": "test_filters_and_pages.test_comparison_in_between_null_and_not",
    "cql2/1.0/conf/basic-spatial-functions": "test_ogc_items.test_bbox_across_the_antimeridian_and_cql2_bbox_literal",
    "cql2/1.0/conf/spatial-functions": "test_filters_and_pages.test_every_spatial_function_of_cql2",
    "ogcapi-records-1/1.0/conf/core": "test_ogc_items.test_owslib_records_search_with_q",
    "ogcapi-records-1/1.0/conf/json": "test_ogc_items.test_owslib_records_search_with_q",
    "ogcapi-records-1/1.0/conf/html": "test_filters_and_pages.test_html_pages_load_nothing_from_outside",
    "ogcapi-tiles-1/1.0/conf/core": "test_ogc_tiles_clients.test_gdal_ogcapi_driver_lists_the_features_of_our_vector_tiles",
    "ogcapi-tiles-1/1.0/conf/mvt": "test_ogc_clients.test_tile_decodes_to_the_features_under_it",
    "ogcapi-tiles-1/1.0/conf/oas30": "test_tile_order.test_advertised_tile_templates_use_the_row_then_column_order",
    "ogcapi-tiles-1/1.0/conf/tileset": "test_ogc_http.test_tileset_metadata_for_any_accept",
    "ogcapi-tiles-1/1.0/conf/tilesets-list": "test_ogc_tiles_clients.test_gdal_ogcapi_driver_lists_the_features_of_our_vector_tiles",
    "ogcapi-tiles-1/1.0/conf/geodata-tilesets": "test_ogc_tiles_clients.test_owslib_discovers_the_tiles",
}


def test_the_conformance_page_declares_exactly_the_proven_classes():
    declared = Client().get("/ogc/conformance", HTTP_ACCEPT="application/json").json()["conformsTo"]
    assert sorted(declared) == sorted(SPEC + name for name in PROOFS)
    for name, proof in PROOFS.items():
        module, test = proof.split(".")
        assert callable(getattr(importlib.import_module(f"layers.tests.{module}"), test, None)), (name, proof)
