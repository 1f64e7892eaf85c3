"""A staff member works only for their agency in every e-service admin screen."""
import re

import pytest
from django.urls import reverse

from geoportal.eservices.complaints.models import Department
from geoportal.eservices.conftest import admin_post, form_fields
from geoportal.staff.models import Membership

pytestmark = pytest.mark.django_db


def test_membership_lets_the_user_into_the_admin(django_user_model, aut):
    user = django_user_model.objects.create_user("nouvel_agent", password="x")
    Membership.objects.create(user=user, agency=aut, services_role="agent")
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser


def test_choices_and_writes_are_limited_to_the_users_agency(client, agent_aug, aut, aug):
    client.force_login(agent_aug)
    page = client.get(reverse("admin:es_permits_permitfile_add")).content.decode()
    agency_options = set(re.findall(r'<option value="(\d+)"', page.split('name="agency"')[1].split("</select>")[0]))
    assert agency_options == {str(aug.pk)}
    communes = page.split('name="commune"')[1].split("</select>")[0]
    assert "Guelmim" in communes and "Tétouan" not in communes
    response = admin_post(client, reverse("admin:es_complaints_department_add"), agency=aut.pk, code="x",
                          name_fr="Intrus", name_ar="دخيل", response_days=10)
    assert response.status_code == 200 and not Department.objects.filter(code="x").exists()
    assert "agency" in form_fields(response.content.decode())


def test_a_user_without_membership_sees_no_e_service(client, django_user_model):
    user = django_user_model.objects.create_user("visiteur", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:es_complaints_complaint_changelist")).status_code == 403
    assert "es_complaints" not in client.get(reverse("admin:index")).content.decode()
