"""What publishing remembers: uploads, field mappings, parcel releases, API tokens, the audit log.

Uploaded layers are read into a per-upload staging table (see layers.publishing.staging)
in the file's own CRS; nothing reaches the plan tables before a publish.
"""
import hashlib
import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone

from plans.models import Agency, PlanDocument


class Target(models.TextChoices):
    """What an uploaded layer becomes once published."""

    ZONES = "zones", "Zones du plan"
    SERVITUDES = "servitudes", "Servitudes et réservations"
    PARCELS = "parcels", "Parcellaire (cadastre)"
    SHEET = "sheet", "Planche scannée (GeoTIFF)"


class UploadStatus(models.TextChoices):
    RECEIVED = "received", "Reçu"
    STAGED = "staged", "Lu (en attente de validation)"
    VALIDATED = "validated", "Validé"
    PUBLISHED = "published", "Publié"
    FAILED = "failed", "Échec"


class LayerUpload(models.Model):
    """One file uploaded by agency staff, the layer chosen in it, and what became of it."""

    Status = UploadStatus

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="layer_uploads")
    plan = models.ForeignKey(PlanDocument, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="layer_uploads", help_text="Plan receiving zones or servitudes.")
    target = models.CharField(max_length=20, choices=Target.choices)
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="layers/uploads/%Y/", max_length=300)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField(default=0)
    layers = models.JSONField(default=list, blank=True, help_text="Layers found in the file.")
    layer_name = models.CharField(max_length=255, blank=True)
    declared_srid = models.PositiveIntegerField(null=True, blank=True)
    source_srid = models.PositiveIntegerField(null=True, blank=True, help_text="EPSG code of the file's CRS.")
    declared_encoding = models.CharField(max_length=40, blank=True)
    encoding = models.CharField(max_length=40, blank=True, help_text="Text encoding the file was read with.")
    fields = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    source_label = models.CharField(max_length=200, blank=True)
    feature_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(null=True, blank=True)
    tolerance_m2 = models.FloatField(null=True, blank=True, help_text="Overlap/gap tolerance chosen for this upload "
                                     "(m², Lambert); empty: settings.LAYERS_TOLERANCE_M2.")
    status = models.CharField(max_length=20, choices=UploadStatus.choices, default=UploadStatus.RECEIVED)
    error = models.TextField(blank=True)
    job_id = models.CharField(max_length=64, blank=True)
    job_kind = models.CharField(max_length=20, blank=True)
    job_status = models.CharField(max_length=20, blank=True, help_text="queued, running, finished or failed")
    revision = models.PositiveIntegerField(null=True, blank=True, help_text="Revision (or parcel release) published.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} → {self.get_target_display()} ({self.agency.code})"

    @property
    def staging_table(self):
        return f"layers_stage_{self.pk}"


class FieldMapping(models.Model):
    """How the fields of one kind of source file map to our schema, remembered per agency.

    `signature` identifies the source by its field names, so a consultant's
    next delivery with the same fields gets the same mapping.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="field_mappings")
    target = models.CharField(max_length=20, choices=Target.choices)
    signature = models.CharField(max_length=64)
    source_label = models.CharField(max_length=200, blank=True)
    mapping = models.JSONField(default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "target", "signature"],
                                               name="field_mapping_unique_per_source")]

    def __str__(self):
        return f"{self.agency.code} {self.target}: {self.source_label or self.signature[:8]}"


def fields_signature(fields):
    """The identity of a source by its field names (case-insensitive, order-free)."""
    return hashlib.sha256("\n".join(sorted(f.upper() for f in fields)).encode()).hexdigest()


class ParcelRelease(models.Model):
    """One published set of an agency's parcels, kept whole so it can be restored."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="parcel_releases")
    number = models.PositiveIntegerField()
    upload = models.ForeignKey(LayerUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    feature_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    live = models.BooleanField(default=False)

    class Meta:
        ordering = ["agency", "-number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="parcel_release_number_unique")]

    def __str__(self):
        return f"{self.agency.code} parcels #{self.number}"


class ParcelSnapshot(models.Model):
    """A parcel as it was in one release (lon/lat geometry, area on title in m²)."""

    release = models.ForeignKey(ParcelRelease, on_delete=models.CASCADE, related_name="parcels")
    title_number = models.CharField(max_length=40)
    commune_id = models.BigIntegerField(null=True)
    area_on_title_m2 = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    geom = models.MultiPolygonField(srid=4326, spatial_index=False)

    class Meta:
        indexes = [models.Index(fields=["release", "title_number"])]


class AuditAction(models.TextChoices):
    UPLOAD = "upload", "Téléversement"
    VALIDATE = "validate", "Validation"
    PUBLISH = "publish", "Publication"
    ROLLBACK = "rollback", "Restauration"
    SHEET = "sheet", "Planche scannée"
    FAILED = "failed", "Échec"


class AuditEntry(models.Model):
    """Who did what to which layer, when, with how many features from which file."""

    Action = AuditAction

    action = models.CharField(max_length=20, choices=AuditAction.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(PlanDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    upload = models.ForeignKey(LayerUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(max_length=20, choices=Target.choices, blank=True)
    revision = models.PositiveIntegerField(null=True, blank=True)
    feature_count = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.agency.code}"


class ApiToken(models.Model):
    """A secret for scripts calling the layers API (header `Authorization: Token <key>`).

    Only a SHA-256 of the key is stored; the key is shown once, when created.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} / {self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name):
        """Create a token for `user`; returns (token, key). The key is not stored."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=hash_key(key))
        return token, key


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()
