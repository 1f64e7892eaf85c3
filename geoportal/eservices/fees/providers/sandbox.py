"""The demo provider: a page of our own that simulates a payment, clearly labelled, never moving money.

Its callbacks are signed with an HMAC-SHA256 keyed by SECRET_KEY, as a real
gateway signs its own, so the callback endpoint is exercised exactly as in
production.
"""
import hashlib
import hmac
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

from geoportal.core.errors import InvalidParameter, MissingParameter, Unauthorized
from .base import CallbackResult, PaymentProvider

FIELDS = ("provider_ref", "outcome", "amount")


def sign(values):
    message = "|".join(str(values[name]) for name in FIELDS).encode()
    key = hashlib.sha256(("sandbox-payments:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class SandboxProvider(PaymentProvider):
    code = "sandbox"
    label_fr = "SANDBOX — paiement simulé, aucune somme réelle n'est débitée"
    label_ar = "بيئة تجريبية — أداء صوري، لا يتم اقتطاع أي مبلغ حقيقي"
    sandbox = True

    def checkout_url(self, payment, request):
        return reverse("eservices:sandbox-checkout", args=[payment.provider_ref])

    def signed_form(self, payment, outcome):
        values = {"provider_ref": payment.provider_ref, "outcome": outcome, "amount": f"{payment.amount:.2f}"}
        return {**values, "signature": sign(values)}

    def parse_callback(self, request):
        data = request.POST
        missing = [name for name in (*FIELDS, "signature") if not data.get(name)]
        if missing:
            raise MissingParameter(f"the callback lacks {', '.join(missing)}.", missing[0])
        values = {name: data[name] for name in FIELDS}
        if not hmac.compare_digest(sign(values), data["signature"]):
            raise Unauthorized(f"the callback for payment {values['provider_ref']} has a wrong signature; "
                               "it was not sent by the payment provider.", "signature")
        if values["outcome"] not in ("success", "failure"):
            raise InvalidParameter(f"outcome={values['outcome']!r} is not success or failure.", "outcome")
        try:
            amount = Decimal(values["amount"])
        except InvalidOperation:
            raise InvalidParameter(f"amount={values['amount']!r} is not a number.", "amount") from None
        return CallbackResult(values["provider_ref"], values["outcome"] == "success", amount, dict(values))
