"""The staff map in a real Chromium against the live server: one marker per observation of the inquiry (received,
published and rejected ones alike), coloured by status, with its popup; no request leaves the server."""
import pytest

from conftest import in_db
from frontend.tests.test_map_browser import Page, browser  # noqa: F401 - the Chromium fixture

pytestmark = pytest.mark.browser
PASSWORD = "pw-staff-map-2026"


def sign_in(page, base, username, next_path):
    """Through the admin's login form, as staff do."""
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def observations(django_db_blocker):
    from django.contrib.auth.models import User

    from geoportal.staff.models import grant
    from plans.inquiry import register
    from plans.inquiry.models import Inquiry
    from plans.models import PlanDocument

    def create():
        plan = PlanDocument.objects.get(reference="pa-tetouan-centre", status="public_inquiry")
        inquiry = Inquiry.objects.get_or_create(plan=plan)[0]
        agent = User.objects.create_user("agent-map", password=PASSWORD)
        grant(agent, plan.agency, services_role="agent", publishing_role="publisher")  # moderates and opens
        before = inquiry.last_number
        (x0, y0, x1, y1), made = plan.perimeter.extent, []
        centre = plan.perimeter.point_on_surface
        for i, theme in enumerate(("voirie", "zonage", "equipements", "autre")):
            made.append(register.file_observation(inquiry, {
                "text": f"Observation de la carte n° {i}, texte assez long.", "theme": theme,
                "lon": centre.x + (i - 2) * 0.0004, "lat": centre.y})[0].number)
        register.moderate(inquiry.observations.get(number=made[0]), agent, "publish")
        register.moderate(inquiry.observations.get(number=made[1]), agent, "reject", reason="hors sujet ici")
        return plan.id, before, made, inquiry.observations.count()

    plan_id, before, made, total = in_db(django_db_blocker, create)
    yield plan_id, total

    def remove():
        from django.contrib.auth.models import User

        from plans.inquiry.models import Inquiry, Observation

        Observation.objects.filter(number__in=made).delete()
        Inquiry.objects.filter(plan_id=plan_id).update(last_number=before)
        User.objects.filter(username="agent-map").delete()

    in_db(django_db_blocker, remove, owner=True)


def test_the_staff_map_shows_one_marker_per_observation(browser, live_server_url, observations):  # noqa: F811
    plan_id, total = observations
    watched = Page(browser, live_server_url)
    page = watched.page
    sign_in(page, live_server_url, "agent-map", "/staff/inquiries/")
    page.wait_for_selector(f"#map-{plan_id}[data-count]", timeout=20000)
    markers = page.locator(f"#map-{plan_id} path.obs-marker")
    assert markers.count() == total >= 4
    assert page.locator(f"#map-{plan_id} path.obs-received").count() >= 2
    assert page.locator(f"#map-{plan_id} path.obs-rejected").count() >= 1
    markers.first.click(force=True)
    popup = page.wait_for_selector(".leaflet-popup-content")
    assert "OBS-" in popup.inner_text()
    assert page.locator(f"#map-{plan_id} path.draft-zone").count() > 0  # beside the draft's zones
    watched.check_clean()

    # The open form posts to the API and shows its message (end before start: refused, nothing written).
    article = page.locator(f"#inquiry-{plan_id}")
    article.locator("details summary").click()
    article.locator("form.open input[name=end]").fill("2000-01-01")
    article.locator("form.open button").click()
    page.wait_for_selector(f"#inquiry-{plan_id} form.open output.error")
    assert "before start" in article.locator("form.open output").inner_text()
    assert [e for e in watched.errors if "400" not in e] == [] and watched.foreign == []  # the refusal's 400 only
    watched.close()
