"""The audit trail and per-agency number sequences of the e-services.

Who works for which agency is staff.Membership (its `services_role`: agent or
supervisor), shared with layer publishing.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from plans.models import Agency


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
