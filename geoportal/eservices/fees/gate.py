"""The fee gate the urbanism note calls before issuing: is the invoice paid?

Note issuance calls it through settings.NOTE_ISSUANCE_GATES (the note never imports the e-services):

    require_paid_invoice(agency, "note", invoice_reference, used_for=note_number)

When settings.ESERVICES_FEES_ENABLED is off (the default) it returns None and
checks nothing. When on, it returns the paid Invoice, recording what it was
used for so that one payment issues one note, or raises a typed API error
(geoportal.core.errors) whose message tells the user what to do:
MissingParameter (no reference given), NotFound (unknown reference),
InvalidParameter (invoice of another agency or service), Conflict (not paid
yet, or already used for another note).
"""
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from geoportal.core.errors import Conflict, InvalidParameter, MissingParameter
from ..common import audit
from .models import Invoice, InvoiceStatus
from .services import get_invoice


def fees_enabled():
    return settings.ESERVICES_FEES_ENABLED


@transaction.atomic
def require_paid_invoice(agency, service_code, reference, used_for=""):
    """The paid invoice `reference` of `agency` for `service_code`, or a typed error; None when fees are off."""
    if not fees_enabled():
        return None
    if not reference:
        raise MissingParameter(f"this service costs a fee: give `invoice`, the reference of a paid invoice for "
                               f"{service_code} (create one at {reverse('eservices:invoice-new')}).", "invoice")
    invoice = Invoice.objects.select_for_update().get(pk=get_invoice(reference).pk)
    if invoice.agency_id != agency.pk or invoice.service_code != service_code:
        raise InvalidParameter(f"invoice {invoice.reference} is for {invoice.service_code} at {invoice.agency.code}, "
                               f"not for {service_code} at {agency.code}.", "invoice")
    if invoice.status != InvoiceStatus.PAID:
        raise Conflict(f"invoice {invoice.reference} is not paid yet; pay it at "
                       f"{reverse('eservices:invoice', args=[invoice.reference])}.", "invoice")
    if used_for and invoice.used_for and invoice.used_for != used_for:
        raise Conflict(f"invoice {invoice.reference} was already used for {invoice.used_for}; one payment issues "
                       "one document.", "invoice")
    if used_for and not invoice.used_for:
        invoice.used_for, invoice.used_at = used_for, timezone.now()
        invoice.save(update_fields=["used_for", "used_at"])
        audit.record(agency, "invoice", invoice.reference, "used", from_state=invoice.status, to_state=invoice.status,
                     used_for=used_for)
    return invoice
