"""DXF (read back with ezdxf), PDF (pdfinfo/pdftotext) and GeoTIFF (rasterio) extracts."""
import collections
import re
import subprocess

import ezdxf
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from plans.crs import from_wgs84
from plans.models import Parcel, PlanAttachment, PlanDocument, Servitude, Zone

from .conftest import extract, lambert_bbox

pytestmark = pytest.mark.django_db


def test_dxf_has_a_layer_per_plan_layer_in_true_lambert_metres(client, tmp_path, parcel_box):
    response = extract(client, format="dxf", clip="whole", **lambert_bbox(parcel_box))
    path = tmp_path / "extract.dxf"
    path.write_bytes(response.content)
    doc = ezdxf.readfile(path)
    assert doc.units == ezdxf.units.M
    custom = dict(doc.header.custom_vars)
    assert custom["reference"] == "pa-tetouan-centre" and custom["version"] == "2"
    msp = doc.modelspace()
    counts = collections.Counter((e.dxftype(), e.dxf.layer) for e in msp)

    # Oracle: the stored features of the plan in force that touch the box (ORM + GEOS, not the extract SQL).
    plan = PlanDocument.objects.in_force().get(reference="pa-tetouan-centre")
    from django.contrib.gis.geos import Polygon

    box = Polygon.from_bbox(parcel_box)
    box.srid = 26191
    box.transform(4326)
    zones = list(Zone.objects.live().filter(plan=plan, geom__intersects=box).order_by("code", "id"))
    rings = sum(1 + len(polygon) - 1 for zone in zones for polygon in zone.geom)
    assert counts[("LWPOLYLINE", "ZONES")] == rings
    assert counts[("TEXT", "ZONES_TEXTE")] == counts[("HATCH", "ZONES_TRAMES")] == len(zones)
    parcels = Parcel.objects.filter(agency=plan.agency, geom__intersects=box).count()
    assert counts[("TEXT", "PARCELLES_TEXTE")] == parcels > 0
    servitudes = Servitude.objects.live().filter(plan=plan, footprint__intersects=box).count()
    assert counts[("LWPOLYLINE", "SERVITUDES")] >= servitudes > 0
    assert counts[("LWPOLYLINE", "EMPRISE")] == 1
    assert {t.dxf.text for t in msp.query('TEXT[layer=="ZONES_TEXTE"]')} == {z.code for z in zones}

    # Whole features: each zone's outline equals its stored vertices in Lambert (pyproj, pinned shift) within 1 mm.
    outlines = [e for e in msp.query('LWPOLYLINE[layer=="ZONES"]')]
    for zone in zones:
        stored = [from_wgs84(lon, lat, 26191) for lon, lat in zone.geom[0].exterior_ring.coords[:-1]]
        best = min(outlines, key=lambda e: abs(len(e) - len(stored)) + _distance(e, stored))
        assert _distance(best, stored) < 0.001, zone.code


def _distance(polyline, points):
    """Largest distance (m) from each point to the nearest vertex of `polyline`."""
    vertices = np.array([(x, y) for x, y, *_ in polyline.get_points()])
    return max(np.min(np.hypot(*(vertices - p).T)) for p in np.array(points))


def test_dxf_refuses_a_non_lambert_crs(client, parcel_box):
    response = client.get("/api/extracts", {"format": "dxf", "crs": "EPSG:4326", **lambert_bbox(parcel_box)})
    assert response.status_code == 400
    assert response.json()["parameter"] == "crs" and "Lambert" in response.json()["description"]


def _pdf_text(path, *args):
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("paper, lang, points", [("A4", "fr", "595.276 x 841.89"), ("A3", "ar", "841.89 x 1190.55")])
def test_pdf_map_at_the_chosen_scale_with_a_bilingual_title_block(client, tmp_path, paper, lang, points):
    response = extract(client, format="pdf", parcel="TF 10001/19", margin="20", scale="1000", paper=paper, lang=lang)
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "extract.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert points in info and re.search(r"^Pages: +1$", info, re.M)
    text = _pdf_text(path)
    assert "Échelle 1/1 000" in text
    assert "Décret n° 2-19-131" in text and "TF 10001/19" in text and "font foi" in text
    assert "تطوان" in text.replace("\u200f", "") or "لتطوان" in text  # Arabic title block present
    assert "المقياس" in text
    # The legend names the highlighted parcel in the chosen language. pdftotext gives the SVG's Arabic in
    # visual order (reversed), the HTML title block's in logical order: both are drawn shaped, right to left.
    legend = "القطعة المطلوبة" if lang == "ar" else "Parcelle demandée"
    plain = text.replace("\u202b", "").replace("\u202c", "")
    assert legend in plain or legend[::-1] in plain


def test_pdf_scale_too_large_for_the_area_says_which_scale_fits(client):
    response = client.get("/api/extracts", {"format": "pdf", "parcel": "TF 10001/19", "margin": "200",
                                            "scale": "500"})
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == "scale" and "scale=2500" in body["description"]


@pytest.fixture
def scanned_sheet(settings, tmp_path):
    """A 0.5 m tiled GeoTIFF (EPSG:26191) over part of the plan in force, attached as its scanned sheet.

    Its far corner tile is corrupt, so only windowed reads succeed.
    """
    settings.MEDIA_ROOT = tmp_path
    plan = PlanDocument.objects.in_force().get(reference="pa-tetouan-centre")
    origin = (501300.0, 551700.0)
    pixel = 0.5
    data = (np.arange(800 * 600, dtype="uint32") % 251).astype("uint8").reshape(1, 600, 800)
    (tmp_path / "plans").mkdir()
    with rasterio.open(tmp_path / "plans" / "sheet.tif", "w", driver="GTiff", width=800, height=600, count=1,
                       dtype="uint8", crs="EPSG:26191", transform=from_origin(*origin, pixel, pixel),
                       tiled=True, blockxsize=256, blockysize=256, compress="deflate") as dst:
        dst.write(data)
    # Spoil the far corner tile: an extract that read the whole sheet instead of its window would fail.
    with rasterio.open(tmp_path / "plans" / "sheet.tif") as src:
        offset = int(src.get_tag_item("BLOCK_OFFSET_3_2", "TIFF", bidx=1))
    with open(tmp_path / "plans" / "sheet.tif", "r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xff" * 64)
    with rasterio.open(tmp_path / "plans" / "sheet.tif") as src, pytest.raises(rasterio.errors.RasterioIOError):
        src.read()
    PlanAttachment.objects.create(plan=plan, kind="sheet", title_fr="Planche 1", file="plans/sheet.tif")
    return origin, pixel, data


def test_geotiff_is_the_window_of_the_scanned_sheet(client, tmp_path, scanned_sheet):
    (x0, y0), pixel, data = scanned_sheet
    bbox = (501400.3, 551550.2, 501480.9, 551620.7)
    response = extract(client, format="tiff", **lambert_bbox(bbox))
    path = tmp_path / "clip.tif"
    path.write_bytes(response.content)
    with rasterio.open(path) as clip:
        assert clip.crs.to_epsg() == 26191
        left, bottom, right, top = clip.bounds
        assert bbox[0] - pixel <= left <= bbox[0] and bbox[1] - pixel <= bottom <= bbox[1]
        assert bbox[2] <= right <= bbox[2] + pixel and bbox[3] <= top <= bbox[3] + pixel
        col, row = round((left - x0) / pixel), round((y0 - top) / pixel)
        assert np.array_equal(clip.read(), data[:, row:row + clip.height, col:col + clip.width])
        assert clip.tags()["reference"] == "pa-tetouan-centre"


def test_geotiff_without_a_scanned_sheet_is_a_404(client, parcel_box):
    response = client.get("/api/extracts", {"format": "tiff", **lambert_bbox(parcel_box)})
    assert response.status_code == 404 and "scanned sheet" in response.json()["description"]
