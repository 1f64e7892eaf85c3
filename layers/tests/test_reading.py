"""Reading real deliveries as they are: CRS from IGNF .prj, UTF-8 .dbf without .cpg, undeclared CRS.

A zip is only checked from its directory when it is received; its layers are read by the import job
(uploads.inspect, called here as the job calls it).
"""
import pytest

from geoportal.core.errors import InvalidParameter, MissingParameter
from layers.publishing import uploads

from .files import real, zip_files

pytestmark = pytest.mark.django_db


def _zip(folder, tmp_path, pattern):
    source = real(folder, tmp_path, pattern)
    return zip_files(tmp_path / f"{folder}.zip", sorted(source.iterdir()))


def _inspected(receive, *args, **options):
    upload = receive(*args, **options)
    assert upload.layers == [], "a zip must not be expanded inside the request"
    uploads.inspect(upload)
    return upload


def test_cnig_plu_pezou_reads_as_lambert93_with_accents(publisher, aut, plan_in_force, tmp_path, receive):
    path = _zip("fr-plu-41175-pezou", tmp_path, "ZONE_URBA.*")
    upload = _inspected(receive, publisher, aut, "zones", path, plan=plan_in_force)
    assert upload.source_srid == 2154  # the IGNF "LAMB93" .prj is identified as EPSG:2154
    assert upload.encoding == "UTF-8"  # no .cpg: detected from the .dbf bytes
    assert upload.feature_count == 118
    uploads.stage(upload)
    uploads.map_fields(upload, {"code": "LIBELLE", "label_fr": "LIBELONG"}, publisher)
    report = uploads.validate(upload, publisher)
    labels = {c["label_fr"] for c in report["codes_without_rule"]}
    assert any("é" in label for label in labels), labels
    assert not any("Ã" in label for label in labels), "UTF-8 read as Latin-1"
    assert report["errors"] > 0 and not report["publishable"]  # France is outside Tétouan's territory
    checks = {c["check"] for c in report["checks"]}
    assert "outside_territory" in checks


def test_cnig_plui_reads_its_prescriptions_and_zones(publisher, aut, plan_in_force, tmp_path, receive):
    path = _zip("fr-plui-241800432", tmp_path, "*ZONE_URBA*")
    upload = _inspected(receive, publisher, aut, "zones", path, plan=plan_in_force)
    assert (upload.source_srid, upload.feature_count, upload.encoding) == (2154, 221, "UTF-8")
    path = _zip("fr-plui-241800432", tmp_path / "p", "*PRESCRIPTION_LIN*")
    upload = _inspected(receive, publisher, aut, "servitudes", path, plan=plan_in_force)
    assert upload.source_srid == 2154 and upload.feature_count > 0


def test_forest_city_zoning_in_us_feet(publisher, aut, plan_in_force, tmp_path, receive):
    path = real("us-forestcity-nc", tmp_path, "zoning.geojson") / "zoning.geojson"
    upload = receive(publisher, aut, "zones", path, plan=plan_in_force)
    assert (upload.source_srid, upload.feature_count) == (2264, 608)
    uploads.stage(upload)
    uploads.map_fields(upload, {"code": "BASE_DISTR"}, publisher)
    report = uploads.validate(upload, publisher)
    missing = next(c for c in report["checks"] if c["check"] == "missing_code")
    assert missing["count"] == 220  # districts without a code are errors, not silently published


def test_topojson_parcels_without_crs_are_refused_until_declared(publisher, aut, tmp_path, receive):
    path = real("us-forestcity-nc", tmp_path, "parcels.topojson") / "parcels.topojson"
    with pytest.raises(MissingParameter, match="declares no coordinate system"):
        receive(publisher, aut, "parcels", path)
    upload = receive(publisher, aut, "parcels", path, srid=4326)
    assert (upload.source_srid, upload.feature_count) == (4326, 7234)


def test_several_layers_need_a_choice(publisher, aut, plan_in_force, tmp_path, receive):
    source = real("fr-plu-41175-pezou", tmp_path, "*")
    path = zip_files(tmp_path / "all.zip", sorted(source.iterdir()))
    with pytest.raises(MissingParameter, match="several layers.*ZONE_URBA"):
        _inspected(receive, publisher, aut, "zones", path, plan=plan_in_force)
    upload = _inspected(receive, publisher, aut, "servitudes", path, plan=plan_in_force, layer="PRESCRIPTION_SURF")
    assert upload.layer_name == "PRESCRIPTION_SURF"
    with pytest.raises(InvalidParameter, match="no layer 'NOPE'"):
        _inspected(receive, publisher, aut, "zones", path, plan=plan_in_force, layer="NOPE")
