"""Complaints and requests (requête-e), the agency's services that handle them, notes and attachments.

A complaint is public only through its number plus a secret whose hash is
stored here; contact details never appear on a public page. Places are
stored in EPSG:4326.
"""
from datetime import timedelta

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone

from plans.models import Agency
from geoportal.core.attachments import ALLOWED
from geoportal.core.private_files import private_storage, server_name

# Decree 2-17-265 on complaints gives the administration 60 days to answer.
DEFAULT_RESPONSE_DAYS = 60


class Department(models.Model):
    """A service (division) of an agency to which complaints are routed."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="departments")
    code = models.SlugField(max_length=30)
    name_fr = models.CharField(max_length=200)
    name_ar = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Notified when a complaint is routed to the service.")
    response_days = models.PositiveIntegerField(default=DEFAULT_RESPONSE_DAYS,
                                                help_text="Days within which the service must answer.")

    class Meta:
        ordering = ["agency", "code"]
        verbose_name = "service"
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="es_department_code_unique")]

    def __str__(self):
        return f"{self.name_fr} ({self.agency.code})"


class ComplaintKind(models.TextChoices):
    COMPLAINT = "reclamation", "Réclamation"
    REQUEST = "demande", "Demande"


class ComplaintCategory(models.TextChoices):
    INFRACTION = "infraction", "Infraction ou construction illégale"
    PLAN = "document_urbanisme", "Document d'urbanisme"
    PERMIT = "autorisation", "Dossier d'autorisation"
    NOTE = "note", "Note de renseignements"
    RECEPTION = "accueil", "Accueil et délais"
    OTHER = "autre", "Autre"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "Reçue"
    ROUTED = "routed", "Transmise au service"
    ANSWERED = "answered", "Réponse envoyée"
    CLOSED = "closed", "Clôturée"


OPEN_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.ROUTED)


class Complaint(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="complaints")
    number = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    kind = models.CharField(max_length=20, choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT)
    category = models.CharField(max_length=30, choices=ComplaintCategory.choices)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    location = models.PointField(srid=4326, null=True, blank=True, help_text="Place concerned (lon/lat).")
    language = models.CharField(max_length=2, default="fr")
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="complaints")
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    answer = models.TextField(blank=True, help_text="The reasoned answer (réponse motivée) sent to the citizen.")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "status", "due_at"], name="es_complaint_open_idx")]

    def __str__(self):
        return f"{self.number} — {self.subject}"

    def save(self, *args, **kwargs):
        if self.due_at is None:
            self.due_at = self.created_at + timedelta(days=DEFAULT_RESPONSE_DAYS)
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and timezone.now() > self.due_at


def attachment_path(instance, filename):
    """A name the server chooses (the sender's `filename` is never used): complaints/<agency>/<random>.<type>."""
    return server_name(f"complaints/{instance.complaint.agency.code.lower()}", ALLOWED[instance.mime])


class ComplaintAttachment(models.Model):
    """A file a citizen attached, checked by its content (geoportal.core.attachments) and stored in private storage:
    only the agency's staff and the filer read it, through complaints.api.attachment."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=200, help_text="The sender's file name, for display only.")
    mime = models.CharField(max_length=60)
    size = models.PositiveIntegerField(help_text="bytes")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.original_name


class InternalNote(models.Model):
    """A note exchanged between the agency's staff about a complaint; never shown to the citizen."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]
