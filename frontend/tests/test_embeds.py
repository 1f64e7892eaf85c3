"""Embeddable folium maps and the map page's HTML: our own static files only, public plans only."""
import re

import pytest

pytestmark = pytest.mark.django_db
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def _external_urls(html):
    return re.findall(r"https?://[^\s\"'<>)]+", html)


@pytest.mark.parametrize("url", ["/embed/plan/{plan}", "/embed/parcel/TF 10001/19",
                                 "/carte/", "/carte/?lang=ar", "/parcel/TF 10001/19"])
def test_pages_load_nothing_from_outside(client, url):
    from plans.models import PlanDocument

    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=2)
    response = client.get(url.format(plan=plan.id))
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html), f"external asset in {url}"
    assert _external_urls(html) == []
    assert "/static/vendor/leaflet/leaflet.js" in html


def test_plan_embed_draws_the_live_zones_and_can_be_framed(client):
    from plans.models import PlanDocument, Zone

    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=2)
    response = client.get(f"/embed/plan/{plan.id}")
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    codes = set(Zone.objects.live().filter(plan=plan).values_list("code", flat=True))
    assert codes and all(f'"code": "{code}"' in html for code in codes)


def test_embeds_refuse_drafts_and_unknown_parcels(client):
    from plans.models import PlanDocument

    draft = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    assert client.get(f"/embed/plan/{draft.id}").status_code == 404
    response = client.get("/embed/parcel/TF 99999999/19")
    # A page, so a browser gets an HTML error page saying what is wrong (issue 15), not OGC JSON.
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "TF 99999999/19" in response.content.decode()


def test_arabic_page_is_right_to_left_and_translated(client):
    html = client.get("/carte/?lang=ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert ">بحث<" in html  # the search button, from the compiled catalogue
    assert '<html lang="fr" dir="ltr">' in client.get("/carte/").content.decode()


@pytest.mark.parametrize("url", ["/embed/plan/{plan}", "/embed/parcel/TF 10001/19"])
def test_embeds_follow_the_language_and_its_direction(client, url):
    from plans.models import PlanDocument

    url = url.format(plan=PlanDocument.objects.get(reference="pa-tetouan-centre", version=2).id)
    arabic = client.get(url, {"lang": "ar"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "/static/vendor/leaflet/leaflet.js" in arabic  # still the whole map, not an empty shell
    assert '<html lang="fr" dir="ltr">' in client.get(url).content.decode()
