"""Fee schedules, invoices and payments. Amounts are in Moroccan dirhams (MAD), two decimals."""
from django.db import models
from django.db.models import Q
from django.utils import timezone

from plans.models import Agency


class FeeSchedule(models.Model):
    """The fee of one service of an agency, valid from a date (a new row when the tariff changes)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="fee_schedules")
    service_code = models.SlugField(max_length=40, help_text="e.g. note (note de renseignements), copie_plan")
    label_fr = models.CharField(max_length=200)
    label_ar = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="MAD")
    valid_from = models.DateField(default=timezone.localdate)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency", "service_code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "service_code", "valid_from"], name="es_fee_once_per_date"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="es_fee_not_negative"),
        ]

    def __str__(self):
        return f"{self.agency.code} {self.service_code}: {self.amount} MAD"


class InvoiceStatus(models.TextChoices):
    UNPAID = "unpaid", "À payer"
    PAID = "paid", "Payée"
    CANCELLED = "cancelled", "Annulée"


class Invoice(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="invoices")
    reference = models.CharField(max_length=40, unique=True)
    service_code = models.SlugField(max_length=40)
    label_fr = models.CharField(max_length=200)
    label_ar = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="MAD")
    subject = models.CharField(max_length=100, blank=True, help_text="What is paid for, e.g. TF 12345/19.")
    status = models.CharField(max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.UNPAID)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_in_sandbox = models.BooleanField(default=False, help_text="Paid through the demo provider: no money moved.")
    used_for = models.CharField(max_length=60, blank=True, help_text="What was issued against it (note number).")
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reference} ({self.amount} MAD, {self.get_status_display()})"


class PaymentStatus(models.TextChoices):
    STARTED = "started", "Commencé"
    SUCCEEDED = "succeeded", "Réussi"
    FAILED = "failed", "Échoué"


class Payment(models.Model):
    """One attempt to pay an invoice through a provider; its callback completes it exactly once."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=40)
    provider_ref = models.CharField(max_length=80, unique=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.STARTED)
    sandbox = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    callback = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["invoice"], condition=Q(status="succeeded"),
                                               name="es_one_successful_payment_per_invoice")]
