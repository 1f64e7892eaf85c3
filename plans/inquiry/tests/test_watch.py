"""Watching land, through a real SMTP server (aiosmtpd on loopback): double opt-in, the inquiry-open mail once,
one-click unsubscribe (GET and RFC 8058 POST)."""
import datetime
import email
import email.policy
import re
import socket

import django_rq
import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from rq import SimpleWorker

from plans.inquiry import watch
from plans.inquiry.models import Watch
from plans.models import Parcel, PlanDocument

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.INQUIRY_SUBMISSIONS_PER_HOUR = 10_000
    yield inbox
    controller.stop()


def _work():
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)


def _body(message):
    return message.get_body().get_content()


def _link(message, kind):
    return re.search(rf"https?://[^\s]*(/enquete/veille/{kind}/[^\s]+)", _body(message)).group(1)


def test_double_opt_in_inquiry_mail_once_and_one_click_unsubscribe(client, smtp, django_capture_on_commit_callbacks):
    draft = PlanDocument.objects.get(reference="pa-tetouan-centre", version=3)
    today = timezone.localdate()
    draft.inquiry_start, draft.inquiry_end = today + datetime.timedelta(days=1), today + datetime.timedelta(days=30)
    draft.save(update_fields=["inquiry_start", "inquiry_end"])
    parcel = Parcel.objects.filter(geom__within=draft.perimeter).order_by("title_number").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/watches", {"email": "voisin@example.ma", "parcels": parcel.title_number})
    assert response.status_code == 202, response.content
    _work()
    [confirmation] = smtp.messages
    assert confirmation["To"] == "voisin@example.ma" and parcel.title_number in _body(confirmation)
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Not confirmed: not told.
    draft.inquiry_start = today - datetime.timedelta(days=1)
    draft.save(update_fields=["inquiry_start"])
    with django_capture_on_commit_callbacks(execute=True):
        assert watch.notify_open_inquiries(root="http://testserver") == 0
    assert client.get(_link(confirmation, "confirmer")).json()["status"] == "confirmed"
    assert client.get("/enquete/veille/confirmer/forged").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert watch.notify_open_inquiries(root="http://testserver") == 1
        assert watch.notify_open_inquiries(root="http://testserver") == 0  # once per inquiry
    _work()
    opened = smtp.messages[1]
    assert draft.title_fr in opened["Subject"] and f"{draft.inquiry_end:%d/%m/%Y}" in _body(opened)
    # One click (RFC 8058 POST, no cookie) and the watch is gone.
    unsubscribe = re.search(r"<https?://[^/]+(/[^>]+)>", opened["List-Unsubscribe"]).group(1)
    assert client.post(unsubscribe).json()["status"] == "unsubscribed"
    assert not Watch.objects.exists()
    assert client.get(unsubscribe).status_code == 404


@pytest.mark.parametrize("body, parameter", [
    ({"parcels": "TF 10001/19"}, "email"),
    ({"email": "not an address", "parcels": "TF 10001/19"}, "email"),
    ({"email": "a@example.ma"}, "parcels"),
    ({"email": "a@example.ma", "area": "LINESTRING(0 0, 1 1)"}, "area"),
])
def test_bad_subscriptions_say_what_is_wrong(client, smtp, body, parameter):
    response = client.post("/api/watches", body)
    assert response.status_code == 400 and response.json()["parameter"] == parameter
    assert not Watch.objects.exists()
