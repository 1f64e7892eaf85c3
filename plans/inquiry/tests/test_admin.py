"""The register in the Django admin: each agency's staff see their own inquiries only, personal data is masked in
the lists, moderation from the admin goes through the register's service (who and when recorded)."""
import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from geoportal.staff.models import grant
from plans.inquiry.models import CoSignature, Observation, ObservationStatus
from plans.models import Agency, PlanDocument

pytestmark = pytest.mark.django_db
AUTHOR = {"name": "Fatima Zahra Bennani", "email": "fatima.bennani@example.ma"}


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.INQUIRY_SUBMISSIONS_PER_HOUR = 10_000
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _staff(username, code):
    user = User.objects.create_user(username, password="x")
    grant(user, Agency.objects.get(code=code), services_role="agent")
    user.refresh_from_db()
    return user


@pytest.fixture
def observation(client):
    plan = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    today = timezone.localdate()
    plan.inquiry_start, plan.inquiry_end = today - datetime.timedelta(days=5), today + datetime.timedelta(days=25)
    plan.save(update_fields=["inquiry_start", "inquiry_end"])
    centre = plan.perimeter.point_on_surface
    body = {"text": "La voie projetée VP2 coupe notre maison ; nous demandons son déplacement.", "theme": "voirie",
            "lon": centre.x, "lat": centre.y, **AUTHOR}
    response = client.post(f"/api/inquiries/{plan.id}/observations", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    found = Observation.objects.get(number=response.json()["number"])
    CoSignature.objects.create(observation=found, name="Youssef Alami", email="youssef.alami@example.ma")
    return found


def test_agency_staff_see_their_observations_with_personal_data_masked_in_the_list(client, observation):
    client.force_login(_staff("agent-aut", "AUT"))
    listing = client.get(reverse("admin:inquiry_observation_changelist")).content.decode()
    assert observation.number in listing
    assert AUTHOR["name"] not in listing and AUTHOR["email"] not in listing
    assert "F***** Z**** B******" in listing and "f*************@example.ma" in listing
    page = client.get(reverse("admin:inquiry_observation_change", args=[observation.pk])).content.decode()
    assert AUTHOR["name"] in page and "Youssef Alami" in page  # one observation opened: its data, its co-signers
    for name in ("inquiry", "observationgroup", "registerexport", "watch"):
        assert client.get(reverse(f"admin:inquiry_{name}_changelist")).status_code == 200, name


def test_staff_of_another_agency_see_nothing_of_it(client, observation):
    client.force_login(_staff("agent-aug", "AUG"))
    listing = client.get(reverse("admin:inquiry_observation_changelist")).content.decode()
    assert observation.number not in listing
    change = client.get(reverse("admin:inquiry_observation_change", args=[observation.pk]))
    assert change.status_code == 302  # the admin's answer for an object outside the queryset
    inquiries = client.get(reverse("admin:inquiry_inquiry_changelist")).content.decode()
    assert "pa-tetouan-centre" not in inquiries


def test_publishing_from_the_admin_records_who_moderated(client, observation):
    staff = _staff("agent-aut", "AUT")
    client.force_login(staff)
    response = client.post(reverse("admin:inquiry_observation_changelist"),
                           {"action": "publish", "_selected_action": [observation.pk]})
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.PUBLISHED and observation.moderated_by == staff
    assert observation.public_text == observation.text


def test_the_register_is_never_deleted_nor_observations_added_in_the_admin(client, observation):
    client.force_login(User.objects.create_superuser("root-admin", password="x"))
    assert client.get(reverse("admin:inquiry_observation_add")).status_code == 403
    assert client.get(reverse("admin:inquiry_observation_delete", args=[observation.pk])).status_code == 403
