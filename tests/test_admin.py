"""The admin lists and edits every planning model, with maps served from our own static files."""
import re

import pytest
from django.urls import reverse

from plans.models import Agency, Commune, Parcel, PlanDocument, Servitude, Zone, ZoneRule

pytestmark = pytest.mark.django_db
MODELS = [Agency, Commune, PlanDocument, ZoneRule, Zone, Servitude, Parcel]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_changelist_and_change_form(admin_client, model):
    meta = model._meta
    response = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200
    obj = model.objects.order_by("pk").first()
    response = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == [], f"assets loaded from outside: {external}"
    if hasattr(obj, "geom"):
        assert "/static/vendor/ol/ol.js" in html


def test_admin_status_action_refuses_an_illegal_transition(admin_client):
    draft = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    url = reverse("admin:plans_plandocument_changelist")
    response = admin_client.post(url, {"action": "mark_approved", "_selected_action": [draft.pk]}, follow=True)
    assert "cannot be approved without decree_reference" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "public_inquiry"
