"""Who works for which agency, the audit trail, and per-agency number sequences.

A user belongs to an agency through a StaffMembership with a role:
- agent: handles the agency's complaints, permit files, documents and invoices;
- supervisor: the same, plus the delays dashboard and publishing commission results.
Superusers see every agency. A user may belong to several agencies.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from plans.models import Agency


class StaffRole(models.TextChoices):
    AGENT = "agent", "Agent"
    SUPERVISOR = "supervisor", "Superviseur"


class StaffMembership(models.Model):
    """A user works for an agency with a role; the e-services scope everything by it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="staff_memberships")
    role = models.CharField(max_length=20, choices=StaffRole.choices, default=StaffRole.AGENT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="es_staff_one_role_per_agency")]

    def __str__(self):
        return f"{self.user} @ {self.agency.code} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.user.is_staff:  # members work in the admin: let them log in to it
            self.user.is_staff = True
            self.user.save(update_fields=["is_staff"])


class AuditEvent(models.Model):
    """One state change of an e-service item: who (or which system), when, from what to what."""

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="Empty for national items (laws shown by every agency).")
    item_type = models.CharField(max_length=40, help_text="e.g. complaint, permit_file, invoice")
    item_ref = models.CharField(max_length=60, help_text="The item's public number or id.")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=60, blank=True, help_text="Who acted when not a user: citizen, provider…")
    at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["item_type", "item_ref", "at", "pk"]
        indexes = [models.Index(fields=["item_type", "item_ref"], name="es_audit_item_idx")]

    def __str__(self):
        return f"{self.item_type} {self.item_ref}: {self.action} {self.from_state}→{self.to_state}"


class Sequence(models.Model):
    """Counter behind the numbers we hand out (REQ-AUT-2026-00001…), one row per prefix, agency and year."""

    key = models.CharField(max_length=60, unique=True)
    value = models.PositiveIntegerField(default=0)
