"""How a citizen gets back to a complaint without the secret ever landing in an access log.

The secret never travels in a URL path or query. The receipt's link (QR
code, e-mail, API answer) carries it after "#" (`…/suivi/<number>/#s=<secret>`):
browsers never send that part. The tracking page's script (static
eservices/track.js) posts it once, with the form, to /services/requetes/suivi/;
the server checks it, remembers in the session that this browser may read
that complaint, and redirects to /services/requetes/suivi/<number>/. API
clients send the secret in the X-Tracking-Secret header (or a POST body).
Right after filing, the session also keeps the new secret once, so that the
receipt page can show the link and its QR code.
"""
import re

from django.urls import reverse

from geoportal.core.errors import InvalidParameter
from geoportal.core.qr import absolute_url

GRANTED, RECEIPTS = "complaints_granted", "complaints_receipts"
NUMBER = re.compile(r"REQ-[A-Z0-9]{1,12}-[0-9]{4}-[0-9]{5,9}")


def checked_number(number):
    """A tracking number as typed, normalised; InvalidParameter (400) for anything else (slash, NUL…)."""
    number = (number or "").strip().upper()
    if not NUMBER.fullmatch(number):
        raise InvalidParameter(f"{number[:40]!r} is not a tracking number: it reads like REQ-AUT-2026-00001 "
                               "(see your receipt).", "number")
    return number


def page_path(number):
    return reverse("eservices:complaint-track", args=[number])


def link(request, number, secret, lang="fr"):
    """The receipt's link: opens the complaint in one scan; its secret stays in the browser ("#…")."""
    return absolute_url(request, f"{page_path(number)}?lang={lang}#s={secret}")


def grant(session, number, secret=None):
    """Let this session read `number` from now on (and show `secret` once, on the receipt, when given)."""
    session[GRANTED] = sorted(set(session.get(GRANTED, [])) | {number})
    if secret:
        session[RECEIPTS] = {**session.get(RECEIPTS, {}), number: secret}


def granted(session, number):
    return number in session.get(GRANTED, ())


def pop_receipt(session, number):
    """The secret of a complaint this session has just filed, once (None afterwards)."""
    receipts = session.get(RECEIPTS, {})
    secret = receipts.pop(number, None)
    if secret is not None:
        session[RECEIPTS] = receipts
    return secret
