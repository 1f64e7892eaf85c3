"""Parcel releases (atomic replace, restore) and scanned sheets as COG tiles."""
import morecantile
import numpy as np
import pytest
import rasterio
from rasterio.io import MemoryFile
from rasterio.transform import from_origin
from rio_cogeo.cogeo import cog_validate

from geoportal.core.errors import InvalidParameter, MissingParameter
from layers.publishing import jobs, parcels, uploads
from layers.records import ApiToken
from plans.crs import to_wgs84
from plans.models import Parcel, PlanAttachment

from .files import write_layer, zip_files

pytestmark = pytest.mark.django_db


def _parcels_file(dataset, path, keep, renumber=()):
    spec = next(a for a in dataset.agencies if a.code == "AUT")
    titles = [str(t) for t in spec.parcel_titles[:keep]]
    for i in renumber:
        titles[i] = f"T.F. {90000 + i}-19"
    areas = [float(a) for a in spec.parcel_area_on_title[:keep]]
    return write_layer(path, list(spec.parcel_geoms[:keep]), {"NUM_TF": titles, "SUPERFICIE": areas}, spec.srid,
                       layer="parcelles", geometry_type="Polygon")


def test_parcel_release_replaces_atomically_and_restores(publisher, aut, tmp_path, receive, sample_dataset):
    before = Parcel.objects.filter(agency=aut).count()
    kept_id = Parcel.objects.get(agency=aut, title_number=str(
        next(a for a in sample_dataset.agencies if a.code == "AUT").parcel_titles[5])).pk
    upload = receive(publisher, aut, "parcels", _parcels_file(sample_dataset, tmp_path / "p.gpkg", 1000, [0, 1]))
    uploads.stage(upload)
    uploads.map_fields(upload, {"title_number": "NUM_TF", "area_on_title_m2": "SUPERFICIE"}, publisher)
    report = uploads.validate(upload, publisher)
    assert report["publishable"], report["checks"]
    number = parcels.publish(upload, publisher)
    assert number == 1
    assert Parcel.objects.filter(agency=aut).count() == 1000
    assert Parcel.objects.filter(agency=aut, title_number="TF 90000/19").exists()  # normalised on the way in
    assert Parcel.objects.get(pk=kept_id)  # an unchanged title keeps its id
    assert Parcel.objects.filter(agency__code="AUG").count() > 0  # other agencies untouched
    assert [(r["number"], r["live"]) for r in parcels.releases(aut)] == [(1, True), (0, False)]
    parcels.restore(aut, 0, publisher)
    assert Parcel.objects.filter(agency=aut).count() == before
    assert not Parcel.objects.filter(agency=aut, title_number="TF 90000/19").exists()


def test_duplicate_titles_block_a_parcel_release(publisher, aut, tmp_path, receive, sample_dataset):
    path = _parcels_file(sample_dataset, tmp_path / "p.gpkg", 50)
    spec = next(a for a in sample_dataset.agencies if a.code == "AUT")
    titles = [str(t) for t in spec.parcel_titles[:50]]
    titles[3] = titles[2].replace(" ", "  ")
    path = write_layer(tmp_path / "d.gpkg", list(spec.parcel_geoms[:50]), {"NUM_TF": titles}, spec.srid,
                       geometry_type="Polygon")
    upload = receive(publisher, aut, "parcels", path)
    uploads.stage(upload)
    uploads.map_fields(upload, {"title_number": "NUM_TF"}, publisher)
    report = uploads.validate(upload, publisher)
    dup = next(c for c in report["checks"] if c["check"] == "duplicate_title")
    assert dup["items"][0]["fid"] == 4 and not report["publishable"]


def _scan(path, srid=26191, georeferenced=True):
    """A 600×400 px RGB scan over central Tétouan, 0.5 m pixels (Lambert Nord Maroc)."""
    data = np.zeros((3, 400, 600), dtype=np.uint8)
    data[0, :, :300] = 200
    data[1, 200:, :] = 150
    profile = {"driver": "GTiff", "width": 600, "height": 400, "count": 3, "dtype": "uint8"}
    if georeferenced:
        profile.update(crs=f"EPSG:{srid}", transform=from_origin(503100, 554300, 0.5, 0.5))
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
    return path


def test_scanned_sheet_becomes_cog_tiles(client, publisher, aut, plan_in_force, tmp_path, receive):
    upload = receive(publisher, aut, "sheet", _scan(tmp_path / "planche-3.tif"), plan=plan_in_force)
    result = jobs.execute(upload, jobs.SHEET, publisher, {"title_fr": "Planche 3"})
    sheet = PlanAttachment.objects.get(pk=result["attachment"], kind="sheet")
    assert sheet.plan == plan_in_force and sheet.title_fr == "Planche 3"
    valid, errors, _warnings = cog_validate(sheet.file.path)
    assert valid, errors

    lon, lat = to_wgs84(503175, 554250, 26191)  # inside the red half of the scan
    tile = morecantile.tms.get("WebMercatorQuad").tile(lon, lat, 18)
    response = client.get(f"/api/layers/sheets/{sheet.pk}/tiles/18/{tile.x}/{tile.y}.png")  # public: plan in force
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    rgba = _pixels(response.content)
    opaque = rgba[3] > 0
    assert opaque.mean() > 0.2 and rgba[0][opaque].max() == 200
    assert client.get(f"/api/layers/sheets/{sheet.pk}/tiles/18/{tile.x}/{tile.y}.png",
                      HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    far = _pixels(client.get(f"/api/layers/sheets/{sheet.pk}/tiles/18/{tile.x + 50}/{tile.y}.png").content)
    assert far[3].max() == 0  # transparent outside the scan
    assert client.get(f"/api/layers/sheets/{sheet.pk}/tiles/3/99/0.png").status_code == 404
    listed = client.get(f"/api/layers/plans/{plan_in_force.pk}/sheets").json()["sheets"]
    assert [s["id"] for s in listed] == [sheet.pk]
    assert listed[0]["tiles"].endswith(f"/{sheet.pk}/tiles/{{z}}/{{x}}/{{y}}.png")
    west, south, east, north = listed[0]["bounds"]
    assert west < lon < east and south < lat < north and east - west < 0.01  # 300 m wide scan, in lon/lat


def _pixels(png):
    with MemoryFile(png) as memory, memory.open() as image:
        return image.read()


def test_scan_with_world_file_needs_a_declared_crs(client, publisher, aut, tmp_path, receive):
    from plans.models import PlanDocument

    draft = PlanDocument.objects.get(reference="pa-tetouan-centre", status="public_inquiry")
    scan = tmp_path / "scan"
    scan.mkdir()
    with rasterio.open(scan / "planche.png", "w", driver="PNG", width=100, height=100, count=3, dtype="uint8") as dst:
        dst.write(np.full((3, 100, 100), 120, dtype=np.uint8))
    (scan / "planche.pgw").write_text("1.0\n0\n0\n-1.0\n503100\n554300\n")
    path = zip_files(tmp_path / "scan.zip", [scan / "planche.png", scan / "planche.pgw"])
    upload = receive(publisher, aut, "sheet", path, plan=draft)
    with pytest.raises(MissingParameter, match="declares no coordinate system"):
        jobs.execute(upload, jobs.SHEET, publisher, {})
    upload = receive(publisher, aut, "sheet", path, plan=draft, srid=26191)
    sheet = PlanAttachment.objects.get(pk=jobs.execute(upload, jobs.SHEET, publisher, {})["attachment"])
    tile, listing = f"/api/layers/sheets/{sheet.pk}/tiles/10/500/400.png", f"/api/layers/plans/{draft.pk}/sheets"
    assert client.get(tile).status_code == 401 and client.get(listing).status_code == 401  # draft: staff only
    _token, key = ApiToken.issue(publisher, "script")
    token = {"HTTP_AUTHORIZATION": f"Token {key}"}  # a script's token opens them as a session does
    assert client.get(tile, **token).status_code == 200
    assert [s["id"] for s in client.get(listing, **token).json()["sheets"]] == [sheet.pk]
    assert client.get(tile, HTTP_AUTHORIZATION="Token revoked-or-wrong").status_code == 401
    client.force_login(publisher)
    assert client.get(tile).status_code == 200


def test_scan_without_georeferencing_is_refused(publisher, aut, plan_in_force, tmp_path, receive):
    upload = receive(publisher, aut, "sheet", _scan(tmp_path / "scan.tif", georeferenced=False), plan=plan_in_force)
    with pytest.raises(InvalidParameter, match="no georeferencing"):
        jobs.execute(upload, jobs.SHEET, publisher, {})
