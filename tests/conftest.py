"""Fixtures of the attack tests: a staff member with an API token, committed so that the live server sees it."""
import pytest


@pytest.fixture(scope="session")
def staff_token(live_server_url, django_db_blocker):
    """{"Authorization": "Token …"} of a publisher of AUT (committed; removed afterwards) the in-force plan id and the draft under inquiry's."""
    from django.contrib.auth import get_user_model

    from geoportal.staff import roles
    from layers.records import ApiToken
    from plans.inquiry import register as inquiry_register
    from plans.models import PlanDocument

    with django_db_blocker.unblock():
        user = get_user_model().objects.create_user("attack-publisher", password="x-attack-secret-42")
        roles.grant(user, PlanDocument.objects.get(reference="pa-tetouan-centre", status="approved").agency,
                    roles.PUBLISHER)
        _token, key = ApiToken.issue(user, "attack tests")
        plan = PlanDocument.objects.get(reference="pa-tetouan-centre", status="approved").pk
        draft = PlanDocument.objects.get(reference="pa-tetouan-centre", status="public_inquiry").pk
        # Its register exists once it is under inquiry (the loader, migration 0006); reads never make it.
        inquiry_register.inquiry_of(draft)
    yield {"headers": {"Authorization": f"Token {key}"}, "plan": plan, "draft": draft}
    with django_db_blocker.unblock():
        user.delete()


@pytest.fixture
def autocommit_db(django_db_blocker):
    """Database access outside any test transaction: what the live server's processes see."""
    with django_db_blocker.unblock():
        yield
