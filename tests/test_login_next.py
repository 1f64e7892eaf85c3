"""A login whose `next` is refused (another site, a script) lands on a real page of ours, on the live server."""
import re

import pytest
import requests

from conftest import in_db

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def staff_login(django_db_setup, django_db_blocker):
    def make():
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_user("login-next", password="x-secret-42", is_staff=True)

    def clean():
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username="login-next").delete()

    in_db(django_db_blocker, make)
    yield {"username": "login-next", "password": "x-secret-42"}
    in_db(django_db_blocker, clean, owner=True)


@pytest.mark.parametrize("refused", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                     "javascript:alert(1)", "http://127.0.0.1.evil.example/"])
def test_a_refused_next_lands_on_the_admin_index(live_server_url, staff_login, refused):
    session = requests.Session()
    login = f"{live_server_url}/admin/login/"
    form = session.get(login, params={"next": refused}, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = session.post(login, params={"next": refused}, allow_redirects=False, timeout=30,
                            data={**staff_login, "csrfmiddlewaretoken": token, "next": refused},
                            headers={"Referer": login})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/", response.headers
    landed = session.get(live_server_url + response.headers["Location"], timeout=30)
    assert landed.status_code == 200 and "login-next" in landed.text
