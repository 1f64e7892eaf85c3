"""The web map in Chromium at 360 px, in French and in Arabic: a published observation of the public inquiry is
drawn on the "observations" layer; clicking it shows its number, theme, public text and co-signature count and
a co-sign form, which records a co-signature (the row exists) and updates the count; nothing overflows 360 px."""
import io

import pytest

from conftest import in_db

from .test_map_browser import browser, page_factory  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
PUBLIC_TEXT = "La voie VP2 coupe le jardin du quartier : merci de la décaler vers l'est."


@pytest.fixture
def published(django_db_blocker):
    """A published observation pinned to a point of the draft under inquiry (committed for the live server)."""
    from plans.inquiry import register
    from plans.inquiry.models import ObservationStatus
    from plans.models import PlanDocument

    def create():
        plan = PlanDocument.objects.under_inquiry().get(reference="pa-tetouan-centre")
        centre = plan.perimeter.point_on_surface
        observation, _ = register.file_observation(register.inquiry_of(plan.id), {
            "text": "Texte original avec données personnelles : Fatima, 06 00 00 00 00.", "theme": "voirie",
            "article": "Article 7", "lon": centre.x, "lat": centre.y, "name": "Fatima", "email": "f@example.ma"})
        observation.status, observation.public_text = ObservationStatus.PUBLISHED, PUBLIC_TEXT
        observation.save(update_fields=["status", "public_text"])
        return observation.number, centre.x, centre.y

    number, lon, lat = in_db(django_db_blocker, create)
    yield number, lon, lat

    def remove():
        from plans.inquiry.models import Observation
        Observation.objects.filter(number=number).delete()  # its co-signatures with it

    in_db(django_db_blocker, remove, owner=True)


def _drawn_observation(page):
    """The page pixel where the observation's marker is drawn (the draft colour of the one style source)."""
    from PIL import Image

    colour = page.evaluate("JSON.parse(document.getElementById('map-config').textContent).styles.draft")
    target = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    page.wait_for_load_state("networkidle")
    box = page.locator("#map").bounding_box()
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    hits = [(x, y) for x in range(int(box["x"]), int(box["x"] + box["width"]))
            for y in range(int(box["y"]), min(int(box["y"] + box["height"]), shot.height))
            if sum(abs(a - b) for a, b in zip(shot.getpixel((x, y)), target)) < 60]
    assert hits, f"no observation drawn in {colour} on the map"
    return sum(x for x, _ in hits) / len(hits), sum(y for _, y in hits) / len(hits)


@pytest.mark.parametrize("lang, words", [
    ("fr", ("Observation", "Co-signer", "Merci : votre co-signature est enregistrée.", "Voirie et alignements")),
    ("ar", ("الملاحظة", "المشاركة في التوقيع", "شكرا : تم تسجيل مشاركتكم في التوقيع.", "الطرق والتصفيفات")),
])
def test_a_visitor_clicks_a_published_observation_and_cosigns_it(page_factory, published, django_db_blocker,
                                                                  lang, words):
    from plans.inquiry.models import CoSignature

    number, lon, lat = published
    p = page_factory(width=360, height=740)
    page = p.open(f"/carte/?lang={lang}#map=18/{lat:.6f}/{lon:.6f}&layers=plans,zones,observations")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    at = _drawn_observation(page)
    page.mouse.click(*at)
    page.wait_for_selector("#panel:not([hidden]) .observation-number")
    panel = page.locator("#panel")
    assert panel.locator(".observation-number").inner_text() == number
    text = panel.inner_text()
    assert words[0] in text and PUBLIC_TEXT in text and words[3] in text and "Article 7" in text
    assert "Fatima" not in text and "f@example.ma" not in text  # the public face only
    assert panel.locator(".cosignatures").inner_text() == "0"
    panel.locator(".cosign-form input[name=name]").fill("Karim")
    panel.locator(".cosign-form input[name=email]").fill(f"karim.{lang}@example.ma")
    assert panel.locator("button.cosign").inner_text() == words[1]
    panel.locator("button.cosign").click()
    page.wait_for_selector("#panel .form-status.ok")
    assert panel.locator(".form-status.ok").inner_text() == words[2]
    assert panel.locator(".cosignatures").inner_text() == "1"
    p.shot(f"observation-cosigned-{lang}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
    signed = in_db(django_db_blocker, lambda: list(
        CoSignature.objects.filter(observation__number=number).values_list("name", "email")))
    assert signed == [("Karim", f"karim.{lang}@example.ma")]
    p.check_clean()
