"""Public pages and JSON API of fees: tariffs, invoices with QR code, payment start and provider callbacks."""
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from geoportal.core.errors import NotFound
from plans.models import Agency
from ..common.i18n import localized, pick_language
from ..common.lookups import agency_by_code
from ..common.pages import form_or_error, render_page
from geoportal.core.qr import absolute_url, qr_data_uri
from ..common.throttle import check_rate
from . import services
from .labels import LABELS
from .models import Payment, PaymentStatus
from .providers import get_provider


def _invoice_json(invoice, request, lang):
    return {"reference": invoice.reference, "agency": invoice.agency.code, "service_code": invoice.service_code,
            "label": localized(invoice, "label", lang), "amount": f"{invoice.amount:.2f}", "currency": "MAD",
            "subject": invoice.subject, "status": invoice.status, "created_at": invoice.created_at.isoformat(),
            "paid_at": invoice.paid_at.isoformat() if invoice.paid_at else None,
            "paid_in_sandbox": invoice.paid_in_sandbox,
            "url": absolute_url(request, reverse("eservices:invoice", args=[invoice.reference]))}


def _json(body, status=200):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def schedule_api(request):
    agency = agency_by_code(request.GET.get("agency"))
    lang = pick_language(request)
    return _json({"agency": agency.code, "currency": "MAD", "fees": [
        {"service_code": f.service_code, "label": localized(f, "label", lang), "amount": f"{f.amount:.2f}",
         "valid_from": f.valid_from.isoformat()} for f in services.fees_in_force(agency)]})


@csrf_exempt  # anonymous, creates an unpaid invoice only
@require_POST
def create_invoice_api(request):
    check_rate(request, "invoice")
    invoice = services.create_invoice(agency_by_code(request.POST.get("agency")), request.POST.get("service_code"),
                                      request.POST.get("subject", ""))
    return _json(_invoice_json(invoice, request, pick_language(request)), status=201)


@require_GET
def invoice_api(request, reference):
    return _json(_invoice_json(services.get_invoice(reference), request, pick_language(request)))


@csrf_exempt  # anonymous; starting a payment moves no money and changes no invoice
@require_POST
def pay_api(request, reference):
    provider = get_provider()
    payment = services.start_payment(services.get_invoice(reference), provider)
    return _json({"payment": payment.provider_ref, "provider": provider.code, "sandbox": provider.sandbox,
                  "checkout_url": absolute_url(request, provider.checkout_url(payment, request))}, status=201)


@csrf_exempt  # called by the provider (server to server, or the payer's browser), authenticated by its signature
@require_POST
def callback_api(request, provider_code):
    provider = get_provider()
    if provider_code != provider.code:
        raise NotFound(f"no payment provider {provider_code!r} is configured (the active one is {provider.code}).",
                       "provider")
    invoice = services.complete_payment(provider.parse_callback(request), provider)
    if request.POST.get("return") == "page":
        return HttpResponseRedirect(reverse("eservices:invoice", args=[invoice.reference]), status=303)
    return _json(_invoice_json(invoice, request, pick_language(request)))


def tariffs_page(request):
    agency = agency_by_code(request.GET.get("agency")) if request.GET.get("agency") else Agency.objects.first()
    return render_page(request, "eservices/fees/tariffs.html", LABELS, agency=agency,
                       fees=services.fees_in_force(agency), agencies=Agency.objects.order_by("code"))


def new_invoice_page(request):
    agencies = Agency.objects.order_by("code")
    fees = {a.code: services.fees_in_force(a) for a in agencies}
    template = "eservices/fees/new.html"
    if request.method != "POST":
        return render_page(request, template, LABELS, agencies=agencies, fees=fees, form={})

    def action():
        check_rate(request, "invoice")
        invoice = services.create_invoice(agency_by_code(request.POST.get("agency")),
                                          request.POST.get("service_code"), request.POST.get("subject", ""))
        return redirect(reverse("eservices:invoice", args=[invoice.reference]) + f"?lang={pick_language(request)}")

    return form_or_error(request, template, LABELS, action, agencies=agencies, fees=fees)


def invoice_page(request, reference):
    invoice = services.get_invoice(reference)
    if request.method == "POST":  # the Pay button
        provider = get_provider()
        payment = services.start_payment(invoice, provider)
        return redirect(provider.checkout_url(payment, request) + f"?lang={pick_language(request)}")
    link = absolute_url(request, reverse("eservices:invoice", args=[invoice.reference]))
    return render_page(request, "eservices/fees/invoice.html", LABELS, invoice=invoice, qr=qr_data_uri(link),
                       link=link, provider=get_provider())


def sandbox_checkout_page(request, provider_ref):
    """The sandbox's own payment page: two signed buttons, a banner saying no money moves."""
    provider = get_provider()
    if not provider.sandbox:
        raise Http404("the sandbox payment page exists only when the sandbox provider is configured")
    payment = Payment.objects.select_related("invoice").filter(provider_ref=provider_ref,
                                                                status=PaymentStatus.STARTED).first()
    if payment is None:
        raise NotFound(f"no pending sandbox payment {provider_ref!r}; start again from the invoice page.",
                       "provider_ref")
    return render_page(request, "eservices/fees/sandbox.html", LABELS, payment=payment, provider=provider,
                       success=provider.signed_form(payment, "success"),
                       failure=provider.signed_form(payment, "failure"))
