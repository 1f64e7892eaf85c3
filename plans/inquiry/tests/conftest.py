"""The inquiry's mails go through a real SMTP server: aiosmtpd on a free loopback port (`smtp` is its inbox)."""
import email
import email.policy
import socket

import django_rq
import pytest
from aiosmtpd.controller import Controller
from rq import SimpleWorker


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


def work():
    """Run the queued mail jobs now (the RQ worker, in this process)."""
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)


def body(message):
    return message.get_body().get_content()
