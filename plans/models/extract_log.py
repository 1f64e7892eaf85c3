"""The log of plan extracts: who asked for what, when, and where the file of a background extract is."""
import uuid

from django.conf import settings
from django.contrib.gis.db import models

from .document import PlanDocument


class ExtractLog(models.Model):
    """One extract asked for: its parameters, plan, area (lon/lat), size, metadata and outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="plan_extracts")
    client_address = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=10, default="api", help_text="api or cli")
    plan = models.ForeignKey(PlanDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="extracts")
    parameters = models.JSONField(help_text="The request as given (normalised).")
    format = models.CharField(max_length=10)
    srid = models.PositiveIntegerField(null=True, blank=True, help_text="Output CRS (EPSG code).")
    area = models.MultiPolygonField(srid=4326, null=True, blank=True, help_text="Extract boundary (lon/lat).")
    area_m2 = models.FloatField(null=True, blank=True, help_text="Extract area in the plan's Lambert CRS, m².")
    feature_counts = models.JSONField(default=dict, blank=True, help_text="{layer: features}")
    metadata = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    background = models.BooleanField(default=False)
    file = models.FileField(upload_to="extracts/%Y/%m/", blank=True, help_text="Output of a background extract.")
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"extract {self.id} ({self.format}, {self.status})"
