"""Bad files get a 4xx naming the problem, and nothing is kept of them."""
import zipfile

import pytest

from geoportal.core.errors import InvalidParameter, MissingParameter, TooLarge
from layers.publishing import uploads
from layers.records import LayerUpload

from .files import real, zip_files, zones_gpkg

pytestmark = pytest.mark.django_db


@pytest.fixture
def nothing_kept(settings):
    before = LayerUpload.objects.count()
    yield
    assert LayerUpload.objects.count() == before
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()], "files of a refused upload remain"


def test_corrupted_geopackage(publisher, aut, plan_in_force, tmp_path, receive, nothing_kept):
    path = tmp_path / "broken.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00garbage" * 500)
    with pytest.raises(InvalidParameter, match="broken.gpkg"):
        receive(publisher, aut, "zones", path, plan=plan_in_force)


def test_zip_bomb_is_stopped_while_extracting(publisher, aut, plan_in_force, tmp_path, receive, settings,
                                              nothing_kept):
    settings.LAYERS_MAX_EXTRACTED_BYTES = 5_000_000
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zones.geojson", b" " * 50_000_000)  # 50 MB of blanks, ~50 KB compressed
    assert path.stat().st_size < 200_000
    with pytest.raises(TooLarge, match="zip bomb"):
        receive(publisher, aut, "zones", path, plan=plan_in_force)


@pytest.mark.parametrize("entry", ["/etc/zones.geojson", "../../zones.geojson", "a/../../zones.geojson"])
def test_zip_entries_escaping_the_folder(entry, publisher, aut, plan_in_force, tmp_path, receive, nothing_kept):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(entry, b"{}")
    with pytest.raises(InvalidParameter, match="absolute path|climbs out"):
        receive(publisher, aut, "zones", path, plan=plan_in_force)
    assert not (tmp_path.parent / "zones.geojson").exists()


def test_zero_feature_file(publisher, aut, plan_in_force, tmp_path, receive, nothing_kept):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(InvalidParameter, match="no feature|no layer"):
        receive(publisher, aut, "zones", path, plan=plan_in_force)


def test_file_over_the_size_limit(publisher, aut, plan_in_force, tmp_path, receive, settings, sample_dataset,
                                  nothing_kept):
    settings.LAYERS_MAX_UPLOAD_BYTES = 10_000
    path = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    with pytest.raises(TooLarge, match="LAYERS_MAX_UPLOAD_BYTES"):
        receive(publisher, aut, "zones", path, plan=plan_in_force)


def test_shapefile_without_shx(publisher, aut, plan_in_force, tmp_path, receive, nothing_kept):
    source = real("fr-plu-41175-pezou", tmp_path, "ZONE_URBA.*")
    (source / "ZONE_URBA.shx").unlink()
    path = zip_files(tmp_path / "noshx.zip", sorted(source.iterdir()))
    with pytest.raises(InvalidParameter, match="has no .shx"):
        receive(publisher, aut, "zones", path, plan=plan_in_force)


def test_wrong_field_mapping_names_the_fields(publisher, aut, plan_in_force, tmp_path, receive, sample_dataset):
    upload = receive(publisher, aut, "zones", zones_gpkg(sample_dataset, tmp_path / "zones.gpkg"),
                     plan=plan_in_force)
    uploads.stage(upload)
    with pytest.raises(InvalidParameter, match="'ZONE_CODE', which the file does not have.*CODE, LIBELLE, COS"):
        uploads.map_fields(upload, {"code": "ZONE_CODE"}, publisher)
    with pytest.raises(InvalidParameter, match="'colour' is not a field of zones"):
        uploads.map_fields(upload, {"code": "CODE", "colour": "COS"}, publisher)
    with pytest.raises(MissingParameter, match="code must be mapped"):
        uploads.map_fields(upload, {"label_fr": "LIBELLE"}, publisher)
    upload.refresh_from_db()
    assert upload.mapping == {} and upload.report is None


def test_zones_upload_needs_a_plan_of_the_same_agency(publisher, aut, tmp_path, receive, sample_dataset):
    from plans.models import PlanDocument

    path = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    with pytest.raises(MissingParameter, match="give the plan id"):
        receive(publisher, aut, "zones", path)
    guelmim = PlanDocument.objects.get(reference="pa-guelmim")
    with pytest.raises(InvalidParameter, match="belongs to agency AUG"):
        receive(publisher, aut, "zones", path, plan=guelmim)


def test_a_zip_is_expanded_by_the_import_job_not_in_the_request(publisher, aut, plan_in_force, tmp_path, receive,
                                                                sample_dataset):
    gpkg = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    path = zip_files(tmp_path / "zones.zip", [gpkg, tmp_path / "zones.gpkg"], names=["zones.gpkg", "notes.vrt"])
    upload = receive(publisher, aut, "zones", path, plan=plan_in_force)
    assert upload.layers == [] and not uploads.work_dir(upload).exists()  # only the zip's directory was read
    uploads.stage(upload)  # what the import job does first
    kept = sorted(p.name for p in uploads.work_dir(upload).rglob("*") if p.is_file())
    assert kept == ["zones.gpkg"] and upload.feature_count > 0  # notes.vrt is never written for GDAL to open


def test_a_sheet_declaring_too_many_pixels_is_refused_before_a_pixel_is_read(publisher, aut, plan_in_force, tmp_path,
                                                                            receive):
    from layers.publishing import jobs
    from tests.attack import huge_sparse_geotiff

    huge_sparse_geotiff(tmp_path / "planche.tif")
    assert (tmp_path / "planche.tif").stat().st_size < 64 * 1024  # 900 Mpx declared in a few KB
    with pytest.raises(TooLarge, match="30000 × 30000 px.*LAYERS_MAX_RASTER_PIXELS"):
        receive(publisher, aut, "sheet", tmp_path / "planche.tif", plan=plan_in_force)
    zipped = zip_files(tmp_path / "planche.zip", [tmp_path / "planche.tif"])
    upload = receive(publisher, aut, "sheet", zipped, plan=plan_in_force)  # a zip is checked by the job
    with pytest.raises(TooLarge, match="LAYERS_MAX_RASTER_PIXELS"):
        jobs.execute(upload, jobs.SHEET, publisher, {})
