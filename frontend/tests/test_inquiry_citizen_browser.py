"""A citizen takes part in the public inquiry from the web map, on a phone (360 × 740), in French and in Arabic:
finds their land title, reads what the draft changes there, files an observation pinned to the parcel (receipt
number and secret link shown once); once staff publish it, a second visitor co-signs it.

Real Chromium against the live test server (conftest: live_server_url); the database is read and cleaned from a
thread (in_db). The inquiry's models come through the app registry (slices are independent).
"""
import pytest
from django.apps import apps

from conftest import in_db

from .test_map_browser import ARTIFACTS, browser, page_factory  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
WORDS = {"fr": ("Ce que change le projet", "Observation enregistrée"),
         "ar": ("ما يغيره المشروع", "سجلت الملاحظة")}


def _model(name):
    return apps.get_model("inquiry", name)


def _draft_parcel():
    from plans.models import Parcel, PlanDocument

    draft = PlanDocument.objects.under_inquiry().get(reference="pa-tetouan-centre")
    parcel = Parcel.objects.filter(geom__within=draft.perimeter).order_by("title_number").first()
    return draft.id, parcel.title_number


def _point_on_no_parcel():
    """A point of the draft's perimeter on no parcel (a road), lon/lat."""
    from django.contrib.gis.db.models import Union

    from plans.models import Parcel, PlanDocument

    draft = PlanDocument.objects.under_inquiry().get(reference="pa-tetouan-centre")
    parcels = Parcel.objects.filter(geom__intersects=draft.perimeter).aggregate(u=Union("geom"))["u"]
    free = draft.perimeter.difference(parcels.buffer(0.00003))
    point = max(free, key=lambda part: part.area).point_on_surface if free.geom_type.startswith("Multi") \
        else free.point_on_surface
    return point.x, point.y


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_citizen_files_an_observation_on_their_parcel_and_another_cosigns_it(page_factory, django_db_blocker,
                                                                             lang):
    plan_id, title = in_db(django_db_blocker, _draft_parcel)
    changes, received = WORDS[lang]
    p = page_factory(width=360, height=740)
    page = p.open(f"/carte/?lang={lang}")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    page.fill("#q", title)
    page.press("#q", "Enter")
    page.wait_for_selector("#panel section.changes")
    assert changes in page.locator("#panel section.changes").inner_text()
    page.click("#panel .observe-open")
    page.select_option("#panel .observe-form select[name=theme]", "voirie")
    page.fill("#panel .observe-form input[name=article]", "Article 7")
    text = {"fr": "La voie projetée coupe notre jardin ; nous demandons de la décaler vers l'est.",
            "ar": "الطريق المقترحة تقطع حديقتنا، نطلب تحويلها نحو الشرق."}[lang]
    page.fill("#panel .observe-form textarea[name=text]", "court")
    page.click("#panel .observe-send")
    page.wait_for_selector("#panel .observe-status.error")  # the API's message: too short, nothing stored
    assert "`text`" in page.locator("#panel .observe-status").inner_text()
    assert [e for e in p.errors if "400" not in e] == []  # the browser logs the refused POST itself
    p.errors.clear()
    page.fill("#panel .observe-form textarea[name=text]", text)
    page.fill("#panel .observe-form input[name=name]", "Samira El Idrissi")
    page.fill("#panel .observe-form input[name=email]", f"samira.{lang}@example.ma")
    page.click("#panel .observe-send")
    page.wait_for_selector("#panel .receipt-number")
    _no_sideways_scroll(page)
    p.shot(f"inquiry-01-receipt-{lang}")
    number = page.locator("#panel .receipt-number").inner_text()
    assert received in page.locator("#panel .observe-receipt").inner_text()
    assert "#s=" in page.locator("#panel .receipt-link").get_attribute("href")

    def stored():
        o = _model("Observation").objects.select_related("parcel").get(number=number)
        return o.parcel.title_number, o.place.equals(o.parcel.geom), o.theme, o.article, o.language, o.inquiry.plan_id

    assert in_db(django_db_blocker, stored) == (title, True, "voirie", "Article 7", lang, plan_id)

    def publish():
        _model("Observation").objects.filter(number=number).update(status="published", public_text=text)

    in_db(django_db_blocker, publish)
    p.check_clean()
    in_db(django_db_blocker, lambda: _model("Observation").objects.filter(number=number).delete(), owner=True)


def test_a_point_on_no_parcel_takes_an_observation_pinned_to_the_point(page_factory, django_db_blocker):
    from django.contrib.gis.geos import Point

    lon, lat = in_db(django_db_blocker, _point_on_no_parcel)
    p = page_factory(width=360, height=740)
    page = p.open(f"/carte/#map=20/{lat:.7f}/{lon:.7f}")
    box = page.locator("#map").bounding_box()  # the map opens centred on the point
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#panel section.observe")
    assert page.locator("#panel .observe-form select[name=place] option").all_inner_texts() == [
        "Le point cliqué", "La surface dessinée (outil ▢)"]
    page.click("#panel .observe-open")
    page.fill("#panel .observe-form textarea[name=text]", "Ce carrefour manque d'un passage piéton protégé.")
    page.click("#panel .observe-send")
    page.wait_for_selector("#panel .receipt-number")
    number = page.locator("#panel .receipt-number").inner_text()

    def stored():
        o = _model("Observation").objects.get(number=number)
        return o.parcel_id, o.place.geom_type, o.place.distance(Point(lon, lat, srid=4326))

    try:
        parcel, kind, distance = in_db(django_db_blocker, stored)
        assert parcel is None and kind == "Point" and distance < 0.0001  # the clicked point (≈ 10 m at most)
    finally:
        in_db(django_db_blocker, lambda: _model("Observation").objects.filter(number=number).delete(), owner=True)
    _no_sideways_scroll(page)
    p.check_clean()

