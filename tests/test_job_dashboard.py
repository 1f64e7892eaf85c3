"""Only superusers reach the job dashboard /django-rq/ (issue 13, item 3), on the live server and its Redis."""
import re

import django_rq
import pytest
import requests

from plans.models import Agency


@pytest.fixture
def people(django_db_blocker):
    """A staff member of one agency (an editor of AUT) and a superuser, committed for the live server."""
    from django.contrib.auth import get_user_model

    from geoportal.staff.models import grant

    User = get_user_model()
    with django_db_blocker.unblock():
        editor = User.objects.create_user("rq-aut-editor", password="pw-rq-aut-editor")
        grant(editor, Agency.objects.get(code="AUT"), publishing_role="editor", services_role="supervisor")
        root = User.objects.create_superuser("rq-root", "root@agence.ma", "pw-rq-root")
    yield {"editor": editor, "root": root}
    with django_db_blocker.unblock():
        User.objects.filter(pk__in=[editor.pk, root.pk]).delete()


@pytest.fixture
def queued_job():
    """A job of another agency waiting in the queue (no worker takes it during the test)."""
    job = django_rq.get_queue("default").enqueue("os.getcwd", job_id="note-pdf-other-agency-job", at_front=False)
    yield job
    if job.connection.exists(job.key):
        job.delete()


def logged_in(base, username):
    session = requests.Session()
    session.get(f"{base}/admin/login/", timeout=30)
    response = session.post(f"{base}/admin/login/", timeout=30, data={
        "username": username, "password": f"pw-{username}", "csrfmiddlewaretoken": session.cookies["csrftoken"],
        "next": "/admin/"}, headers={"Referer": f"{base}/admin/login/"})
    assert response.status_code == 200 and "sessionid" in session.cookies, response.text[:300]
    return session


def test_agency_staff_can_neither_list_nor_delete_jobs(live_server_url, people, queued_job):
    assert people["editor"].is_staff and not people["editor"].is_superuser
    staff = logged_in(live_server_url, "rq-aut-editor")
    queue = f"{live_server_url}/django-rq/queues/0"
    for url in ["/django-rq/", "/django-rq/queues/0/", f"/django-rq/queues/0/{queued_job.id}/",
                "/django-rq/stats.json/", "/django-rq/workers/0/", "/django-rq/queues/0/finished/"]:
        assert staff.get(live_server_url + url, timeout=30, allow_redirects=False).status_code == 403, url
    delete = staff.post(f"{queue}/{queued_job.id}/delete/", data={"post": "yes"}, timeout=30,
                        headers={"X-CSRFToken": staff.cookies["csrftoken"], "Referer": queue + "/"})
    assert delete.status_code == 403
    empty = staff.post(f"{queue}/empty/", data={"post": "yes"}, timeout=30,
                       headers={"X-CSRFToken": staff.cookies["csrftoken"], "Referer": queue + "/"})
    assert empty.status_code == 403
    assert queued_job.id in django_rq.get_queue("default").job_ids  # still there
    # django-rq's copy of the dashboard inside the admin is gone too
    assert staff.get(f"{live_server_url}/admin/django_rq/dashboard/", timeout=30).status_code == 404
    anonymous = requests.get(f"{live_server_url}/django-rq/", timeout=30, allow_redirects=False)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/admin/login/")


def test_superusers_see_and_manage_the_jobs(live_server_url, people, queued_job):
    root = logged_in(live_server_url, "rq-root")
    home = root.get(f"{live_server_url}/django-rq/", timeout=30)
    assert home.status_code == 200 and "default" in home.text
    listing = root.get(f"{live_server_url}/django-rq/queues/0/", timeout=30)
    assert listing.status_code == 200 and queued_job.id in listing.text
    # the page's own inline script is allowed by its hash, nothing else inline
    policy = listing.headers["Content-Security-Policy"]
    scripts = next(part.split()[1:] for part in policy.split(";") if part.split()[0] == "script-src")
    assert scripts[:2] == ["'self'", "'report-sample'"] and scripts[2:], policy
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", source) for source in scripts[2:]), policy
    assert "unsafe-inline" not in policy
    assert root.get(f"{live_server_url}/django-rq/stats.json/", timeout=30).json()["queues"]
    queue = f"{live_server_url}/django-rq/queues/0"
    deleted = root.post(f"{queue}/{queued_job.id}/delete/", data={"post": "yes"}, timeout=30, allow_redirects=False,
                        headers={"X-CSRFToken": root.cookies["csrftoken"], "Referer": queue + "/"})
    assert deleted.status_code == 302
    assert queued_job.id not in django_rq.get_queue("default").job_ids
