"""The web map in Chromium: scanned sheets of the plans in force join the layer switcher and draw;
on a past date the zones of the version then in force are drawn even when it is still the live one."""
import io
import statistics
from concurrent.futures import ThreadPoolExecutor

import morecantile
import numpy as np
import pytest
import rasterio
from PIL import Image
from rasterio.transform import from_origin

from plans.vocabulary import zone_colour
from plans.crs import to_wgs84

from .test_map_browser import _known_zone, browser, page_factory  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
BACKGROUND = (0xf7, 0xf6, 0xf0)  # the offline territory fill of map.js
RED_HALF = (503175, 554250)  # Lambert Nord Maroc (EPSG:26191), inside the scan's red half


def _scan(path):
    """A 600×400 px RGB scan over central Tétouan, 0.5 m pixels, EPSG:26191; its west half red (200, 0, 0)."""
    data = np.zeros((3, 400, 600), dtype=np.uint8)
    data[0, :, :300] = 200
    profile = {"driver": "GTiff", "width": 600, "height": 400, "count": 3, "dtype": "uint8",
               "crs": "EPSG:26191", "transform": from_origin(503100, 554300, 0.5, 0.5)}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
    return path


def _in_thread(work):
    """Run database work in another thread: Playwright's event loop owns this one (Django refuses it)."""
    from django.db import connection

    def run():
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def sheets(django_db_blocker, tmp_path):
    """A sheet of the AUT plan in force and one of its draft (under inquiry), committed for the live server."""
    from django.core.files import File

    from layers.publishing.sheets import make_cog
    from plans.models import PlanAttachment, PlanDocument

    def create():
        made = {}
        for name, version in (("in_force", 2), ("draft", 3)):
            cog = tmp_path / f"{name}.cog.tif"
            make_cog(_scan(tmp_path / f"{name}.tif"), cog)
            plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=version)
            sheet = PlanAttachment(plan=plan, kind=PlanAttachment.Kind.SHEET, title_fr=f"Planche {name}",
                                   title_ar="لوحة", sha256=f"{name:0<64}"[:64])
            with open(cog, "rb") as handle:
                sheet.file.save(cog.name, File(handle), save=True)
            made[name] = sheet
        return made

    def remove():
        for sheet in made.values():
            sheet.file.delete(save=False)
            sheet.delete()

    with django_db_blocker.unblock():
        made = _in_thread(create)
    yield made
    with django_db_blocker.unblock():
        _in_thread(remove)


def _centre_pixel(page):
    box = page.locator("#map").bounding_box()
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    cx, cy = int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2)
    pixels = [shot.getpixel((cx + dx, cy + dy)) for dx in (-2, 0, 2) for dy in (-2, 0, 2)]
    return tuple(statistics.median(p[i] for p in pixels) for i in range(3))


def test_sheets_of_plans_in_force_are_overlays_and_drafts_are_not(page_factory, sheets):  # noqa: F811
    public, draft = sheets["in_force"], sheets["draft"]
    lon, lat = to_wgs84(*RED_HALF, 26191)
    p = page_factory()
    tiles = []
    p.page.on("response", lambda r: f"/api/layers/sheets/{public.pk}/tiles/" in r.url and tiles.append(r))
    page = p.open(f"/carte/#map=18/{lat:.6f}/{lon:.6f}&layers=sheet-{public.pk}")
    page.wait_for_timeout(500)
    p.shot("07-scanned-sheet")
    switcher = page.locator(".leaflet-control-layers").inner_text()
    assert "Planche in_force (pa-tetouan-centre v2)" in switcher
    assert "Planche draft" not in switcher and f"sheet-{draft.pk}" not in page.content()
    assert tiles and all(r.status == 200 and r.headers["content-type"] == "image/png" for r in tiles), \
        [(r.url, r.status) for r in tiles]
    red, green, blue = _centre_pixel(page)
    assert red > 150 and green < 100 and blue < 100, f"the scan is not drawn at the centre: {(red, green, blue)}"
    p.check_clean()

    # Anonymous: the sheet in force is a public document, the draft's sheet stays with the agency's staff.
    tile = morecantile.tms.get("WebMercatorQuad").tile(lon, lat, 18)
    for sheet, status in ((public, 200), (draft, 401)):
        response = page.request.get(f"{p.base}/api/layers/sheets/{sheet.pk}/tiles/18/{tile.x}/{tile.y}.png")
        assert response.status == status, (sheet.title_fr, response.status)


@pytest.mark.parametrize("date, version", [("2020-06-30", 2), ("2012-06-30", 1)])
def test_past_date_draws_the_zones_of_the_version_then_in_force(page_factory, sample_dataset, date, version):  # noqa: F811
    agency = sample_dataset.agencies[0]
    plan = next(p for p in agency.plans if p.version == version)
    code, polygon = max(plan.zones, key=lambda z: z[1].area)
    point = polygon.buffer(-8).representative_point()
    lon, lat = to_wgs84(point.x, point.y, agency.srid)
    p = page_factory()
    page = p.open(f"/carte/#map=17/{lat:.6f}/{lon:.6f}&layers=zones&date={date}")
    page.wait_for_timeout(500)
    p.shot(f"08-zones-on-{date}")
    colour = zone_colour(code).lstrip("#")
    fill = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    expected = [0.6 * f + 0.4 * b for f, b in zip(fill, BACKGROUND)]  # fillOpacity 0.6 over the territory
    drawn = _centre_pixel(page)
    assert all(abs(d - e) <= 20 for d, e in zip(drawn, expected)), \
        f"zone {code} of v{version} not drawn on {date}: centre pixel {drawn}, expected about {expected}"
    p.check_clean()
