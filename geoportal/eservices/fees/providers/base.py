"""The interface every payment provider implements.

How a real provider plugs in (e.g. a Moroccan bank's e-commerce gateway):

1. Subclass PaymentProvider in a module of your own, e.g.
   geoportal/eservices/fees/providers/mybank.py, with `code = "mybank"`,
   `sandbox = False` and its credentials read from settings/environment.
2. `checkout_url(payment, request)` returns the URL of the provider's payment
   page for `payment.amount` MAD and `payment.provider_ref` (our order id),
   with our callback URL /api/services/fees/callback/<code> as its
   notification (server-to-server) URL and the invoice page as return URL.
3. `parse_callback(request)` verifies the provider's signature (HMAC, hash
   or certificate, as the provider documents it) and returns a
   CallbackResult; a bad signature raises geoportal.core.errors.Unauthorized.
4. Set ESERVICES_PAYMENT_PROVIDER=geoportal.eservices.fees.providers.mybank.MyBankProvider.

Everything else (amount checks, exactly-once completion, audit, the invoice
turning paid, the note gate) is the same for every provider: fees.services.
"""
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class CallbackResult:
    provider_ref: str
    succeeded: bool
    amount: Decimal
    raw: dict = field(default_factory=dict)


class PaymentProvider:
    code = ""
    label_fr = ""
    label_ar = ""
    sandbox = False  # True: demo only, no money ever moves

    def checkout_url(self, payment, request):
        """Where to send the payer's browser to pay `payment`."""
        raise NotImplementedError

    def parse_callback(self, request):
        """Verify and read the provider's notification: a CallbackResult, or raise Unauthorized."""
        raise NotImplementedError
