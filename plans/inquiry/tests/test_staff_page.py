"""The agency staff's page of their inquiries (/staff/inquiries/): dates, state, counts per commune and theme
equal to a count by the ORM, in French and Arabic; the staff GeoJSON of every observation (the map's data),
agency staff only. Oracles: the ORM counts, the words of plans.vocabulary, the statuses set here."""
import datetime
import json
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.db.models import Count
from django.utils import timezone

from geoportal.staff.models import grant
from plans import vocabulary
from plans.inquiry import register
from plans.inquiry.models import Inquiry, Observation
from plans.models import Agency, PlanDocument

pytestmark = pytest.mark.django_db
THEMES = ("voirie", "zonage", "voirie")


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.INQUIRY_SUBMISSIONS_PER_HOUR = 10_000
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _staff(username, code):
    user = User.objects.create_user(username, password="x")
    grant(user, Agency.objects.get(code=code), services_role="agent")
    return user


@pytest.fixture
def filed():
    """Three observations on the open draft: one published, one rejected, one waiting."""
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    today = timezone.localdate()
    plan.inquiry_start, plan.inquiry_end = today - datetime.timedelta(days=5), today + datetime.timedelta(days=25)
    plan.save(update_fields=["inquiry_start", "inquiry_end"])
    inquiry = Inquiry.objects.get_or_create(plan=plan)[0]
    centre = plan.perimeter.point_on_surface
    made = [register.file_observation(inquiry, {"text": f"Observation numéro {i} sur la voie projetée.",
                                                "theme": theme, "lon": centre.x, "lat": centre.y})[0]
            for i, theme in enumerate(THEMES)]
    agent = _staff("agent-aut", "AUT")
    register.moderate(made[0], agent, "publish")
    register.moderate(made[1], agent, "reject", reason="propos injurieux")
    return inquiry, agent, made


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_staff_page_shows_dates_state_and_the_orm_counts(client, filed, lang):
    inquiry, agent, _ = filed
    client.force_login(agent)
    response = client.get(f"/staff/inquiries/?lang={lang}")
    assert response.status_code == 200
    page = unescape(response.content.decode())
    words = vocabulary.inquiry_words(lang)
    assert words["staff_title"] in page and words["state_open"] in page
    assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in page
    article = page.split(f'id="inquiry-{inquiry.plan_id}"')[1].split("</article>")[0]
    plan = inquiry.plan
    assert f'datetime="{plan.inquiry_start:%Y-%m-%d}"' in article and f'datetime="{plan.inquiry_end:%Y-%m-%d}"' in article
    total = Observation.objects.filter(inquiry=inquiry).count()
    assert f'<span class="total">{total}</span>' in article and total >= 3
    themes = dict(Observation.objects.filter(inquiry=inquiry).values_list("theme").annotate(n=Count("id")))
    labels = dict((t["value"], t["label"]) for t in vocabulary.observation_themes(lang))
    for theme, n in themes.items():
        assert f'<th>{labels[theme]}</th><td data-count="{n}">' in article
    communes = dict(Observation.objects.filter(inquiry=inquiry).values_list("commune__name_fr")
                    .annotate(n=Count("id")))
    for name, n in communes.items():
        assert f'<th>{name or "—"}</th><td data-count="{n}">' in article
    assert f'data-action="/api/inquiries/{plan.id}/close"' in article  # open today: it can be closed


def test_staff_of_another_agency_do_not_see_it_and_anonymous_are_sent_to_log_in(client, filed):
    inquiry, _, _ = filed
    client.force_login(_staff("agent-aug", "AUG"))
    page = client.get("/staff/inquiries/").content.decode()
    assert f'id="inquiry-{inquiry.plan_id}"' not in page
    client.logout()
    response = client.get("/staff/inquiries/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_map_data_holds_every_observation_for_agency_staff_only(client, filed):
    inquiry, agent, made = filed
    url = f"/api/inquiries/{inquiry.plan_id}/observations.geojson"
    assert client.get(url).status_code == 401
    client.force_login(_staff("agent-aug", "AUG"))
    refused = client.get(url)
    assert refused.status_code == 403 and "AUT" in refused.json()["description"]
    client.force_login(agent)
    features = client.get(url).json()["features"]
    expected = dict(Observation.objects.filter(inquiry=inquiry).values_list("number", "status"))
    assert {f["id"]: f["properties"]["status"] for f in features} == expected
    assert {"published", "rejected", "received"} <= set(expected.values())
    assert all("author_name" not in f["properties"] and "email" not in json.dumps(f) for f in features)
    public = client.get(f"/api/inquiries/{inquiry.plan_id}/observations").json()["features"]
    assert {f["id"] for f in public} == {made[0].number}  # the public list still shows the published one only
