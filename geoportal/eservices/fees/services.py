"""Fees: the fee in force, invoices, and payments completed exactly once by the provider's callback; all audited."""
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from geoportal.core.errors import Conflict, InvalidParameter, MissingParameter, NotFound
from ..common import audit
from ..common.numbering import next_number
from .models import FeeSchedule, Invoice, InvoiceStatus, Payment, PaymentStatus


def fees_in_force(agency, on=None):
    """The fee of each service of `agency` valid on `on` (default today): the latest schedule started by then."""
    on = on or timezone.localdate()
    rows = (FeeSchedule.objects.filter(agency=agency, valid_from__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .order_by("service_code", "-valid_from").distinct("service_code"))
    return list(rows)


def fee_for(agency, service_code, on=None):
    service_code = (service_code or "").strip()
    if not service_code:
        raise MissingParameter("give `service_code`, the service to pay for.", "service_code")
    fees = {fee.service_code: fee for fee in fees_in_force(agency, on)}
    if service_code not in fees:
        raise InvalidParameter(f"agency {agency.code} has no fee for service {service_code!r} today; "
                               f"services with a fee: {', '.join(sorted(fees)) or 'none'}.", "service_code")
    return fees[service_code]


@transaction.atomic
def create_invoice(agency, service_code, subject=""):
    """An unpaid invoice of the fee in force for the service, with its reference (FAC-AUT-2026-00001)."""
    fee = fee_for(agency, service_code)
    subject = (subject or "").strip()
    if len(subject) > 100:
        raise InvalidParameter(f"subject has {len(subject)} characters; at most 100.", "subject")
    invoice = Invoice.objects.create(agency=agency, reference=next_number("FAC", agency), service_code=fee.service_code,
                                     label_fr=fee.label_fr, label_ar=fee.label_ar, amount=fee.amount, subject=subject)
    audit.record(agency, "invoice", invoice.reference, "issued", to_state=invoice.status, amount=str(invoice.amount))
    return invoice


def get_invoice(reference):
    invoice = Invoice.objects.select_related("agency").filter(reference=(reference or "").strip()).first()
    if invoice is None:
        raise NotFound(f"no invoice {reference!r}; check the reference printed on it (e.g. FAC-AUT-2026-00001).",
                       "reference")
    return invoice


@transaction.atomic
def start_payment(invoice, provider):
    """A new payment attempt of the invoice's full amount; refused when the invoice is already paid."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.UNPAID:
        raise Conflict(f"invoice {invoice.reference} is {invoice.get_status_display().lower()}; nothing to pay.",
                       "reference")
    payment = Payment.objects.create(invoice=invoice, provider=provider.code, amount=invoice.amount,
                                     sandbox=provider.sandbox,
                                     provider_ref=f"{invoice.reference}-{secrets.token_hex(4)}")
    audit.record(invoice.agency, "invoice", invoice.reference, "payment_started", from_state=invoice.status,
                 to_state=invoice.status, actor_label=provider.code, payment=payment.provider_ref)
    return payment


@transaction.atomic
def complete_payment(result, provider):
    """Apply a verified provider callback exactly once; a repeated or mismatching callback changes nothing."""
    payment = (Payment.objects.select_for_update().select_related("invoice", "invoice__agency")
               .filter(provider_ref=result.provider_ref, provider=provider.code).first())
    if payment is None:
        raise NotFound(f"no payment {result.provider_ref!r} started with provider {provider.code}.", "provider_ref")
    if payment.status != PaymentStatus.STARTED:
        raise Conflict(f"payment {payment.provider_ref} was already completed ({payment.status}) on "
                       f"{payment.completed_at:%d/%m/%Y %H:%M}; this callback is ignored.", "provider_ref")
    if result.amount != payment.amount:
        raise InvalidParameter(f"the callback says {result.amount} MAD but payment {payment.provider_ref} is for "
                               f"{payment.amount} MAD; nothing was changed.", "amount")
    invoice = Invoice.objects.select_for_update().get(pk=payment.invoice_id)
    if result.succeeded and invoice.status != InvoiceStatus.UNPAID:
        raise Conflict(f"invoice {invoice.reference} is already {invoice.get_status_display().lower()}; "
                       f"payment {payment.provider_ref} must be refunded by the provider.", "provider_ref")
    now = timezone.now()
    payment.status = PaymentStatus.SUCCEEDED if result.succeeded else PaymentStatus.FAILED
    payment.completed_at, payment.callback = now, result.raw
    payment.save(update_fields=["status", "completed_at", "callback"])
    old = invoice.status
    if result.succeeded:
        invoice.status, invoice.paid_at, invoice.paid_in_sandbox = InvoiceStatus.PAID, now, provider.sandbox
        invoice.save(update_fields=["status", "paid_at", "paid_in_sandbox"])
    audit.record(invoice.agency, "invoice", invoice.reference, "payment_" + payment.status, from_state=old,
                 to_state=invoice.status, actor_label=provider.code, payment=payment.provider_ref,
                 sandbox=provider.sandbox)
    return invoice
