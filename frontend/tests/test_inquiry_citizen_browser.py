"""A citizen takes part in the public inquiry from the web map, on a phone (360 × 740), in French and in Arabic:
finds their land title, reads what the draft changes there, files an observation pinned to the parcel (receipt
number and secret link shown once); once staff publish it, a second visitor clicks it on the map's
observations layer, reads its public face (no name, no e-mail) and co-signs it (the CoSignature row exists).

Real Chromium against the live test server (conftest: live_server_url); the database is read and cleaned from a
thread (in_db). The inquiry's models come through the app registry (slices are independent).
"""
import io

import pytest
from django.apps import apps

from conftest import in_db

from .test_map_browser import browser, page_factory  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
WORDS = {"fr": ("Ce que change le projet", "Observation enregistrée", "Voirie", "Co-signer",
                "Merci : votre co-signature est enregistrée."),
         "ar": ("ما يغيره المشروع", "سجلت الملاحظة", "الطرق", "المشاركة في التوقيع",
                "شكرا : تم تسجيل مشاركتكم في التوقيع.")}


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
    changes, received, theme, cosign, thanks = WORDS[lang]
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
    try:
        _second_visitor_cosigns(page_factory, django_db_blocker, lang, number, text, theme, cosign, thanks)
    finally:
        in_db(django_db_blocker, lambda: _model("Observation").objects.filter(number=number).delete(), owner=True)


def _drawn_observation(page):
    """The page pixel where the observation is drawn (the draft colour of the one style source, filled at 0.8
    opacity over the base map: a parcel's surface blends with it, hence the tolerance)."""
    from PIL import Image

    colour = page.evaluate("JSON.parse(document.getElementById('map-config').textContent).styles.draft")
    target = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    page.wait_for_load_state("networkidle")
    box = page.locator("#map").bounding_box()
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    hits = [(x, y) for x in range(int(box["x"]), int(box["x"] + box["width"]))
            for y in range(int(box["y"]), min(int(box["y"] + box["height"]), shot.height))
            if sum(abs(a - b) for a, b in zip(shot.getpixel((x, y)), target)) < 100]
    assert hits, f"no observation drawn in {colour} on the map"
    return sum(x for x, _ in hits) / len(hits), sum(y for _, y in hits) / len(hits)


def _second_visitor_cosigns(page_factory, django_db_blocker, lang, number, text, theme, cosign, thanks):
    """A second visitor (a new browser) clicks the published observation on the map's layer and co-signs it."""
    def where():
        point = _model("Observation").objects.get(number=number).place.point_on_surface
        return point.x, point.y

    lon, lat = in_db(django_db_blocker, where)
    p = page_factory(width=360, height=740)
    page = p.open(f"/carte/?lang={lang}#map=18/{lat:.6f}/{lon:.6f}&layers=plans,zones,observations")
    page.mouse.click(*_drawn_observation(page))
    page.wait_for_selector("#panel:not([hidden]) .observation-number")
    panel = page.locator("#panel")
    assert panel.locator(".observation-number").inner_text() == number
    shown = panel.inner_text()
    assert text in shown and theme in shown and "Article 7" in shown
    assert "Samira" not in shown and "@example.ma" not in shown  # the public face only
    assert panel.locator(".cosignatures").inner_text() == "0"
    panel.locator(".cosign-form input[name=name]").fill("Karim")
    panel.locator(".cosign-form input[name=email]").fill(f"karim.{lang}@example.ma")
    assert panel.locator("button.cosign").inner_text() == cosign
    panel.locator("button.cosign").click()
    page.wait_for_selector("#panel .form-status.ok")
    assert panel.locator(".form-status.ok").inner_text() == thanks
    assert panel.locator(".cosignatures").inner_text() == "1"
    p.shot(f"inquiry-02-cosigned-{lang}")
    _no_sideways_scroll(page)
    signed = in_db(django_db_blocker, lambda: list(
        _model("CoSignature").objects.filter(observation__number=number).values_list("name", "email")))
    assert signed == [("Karim", f"karim.{lang}@example.ma")]
    p.check_clean()


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

