"""Issued urbanism information notes: immutable, signed records that anyone can verify."""
from django.conf import settings
from django.contrib.gis.db import models

from .territory import Agency


# The only columns ever written after issuance: the PDF, once, at its first rendering. The trigger of
# migration 0005 checks "once"; the app role may UPDATE no other column (geoportal/grants.py).
PDF_COLUMNS = ("pdf", "pdf_sha256", "map_svg")


class NoteMode(models.TextChoices):
    OFFICIAL = "official", "Note officielle (numérotée)"
    INDICATIVE = "indicative", "Note indicative (gratuite, non numérotée)"


class IssuedNote(models.Model):
    """One note as issued: what was asked, what was answered, and the proofs.

    The database refuses any UPDATE except filling in the PDF once (its bytes,
    SHA-256 and map, at its first rendering) and refuses every DELETE (migration
    0005_note_records) and TRUNCATE (0008): re-publishing a plan never changes an
    issued note. The app's database role may not even try: it holds INSERT and
    SELECT on the table, UPDATE of PDF_COLUMNS only, and no TRUNCATE or DDL.
    """

    Mode = NoteMode
    PDF_COLUMNS = PDF_COLUMNS  # what the app role may UPDATE (geoportal.grants)

    number = models.CharField(max_length=40, unique=True,
                              help_text="AUT-2026-000123 for an official note, IND-… for an indicative one.")
    mode = models.CharField(max_length=12, choices=NoteMode.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="notes")
    issued_at = models.DateTimeField()
    plans_date = models.DateField(help_text="The plans in force on this date were applied.")
    land = models.MultiPolygonField(srid=4326, help_text="The land the note is about (lon/lat).")
    request = models.JSONField(help_text="How the land was identified (title number, coordinates, file…).")
    content = models.JSONField(help_text="The computed content, exactly as shown on the note.")
    data_version = models.CharField(max_length=200, help_text="plans.versions.data_version() at issuance.")
    signature = models.CharField(max_length=64, help_text="HMAC-SHA256 of the number, time and content (hex).")
    key_id = models.CharField(max_length=16, blank=True, default="",
                              help_text="Id of the key that made the signature (plans.note.signing.key_id).")
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    map_svg = models.TextField(blank=True, help_text="The map printed on the PDF, kept for the HTML page.")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    # A client's Idempotency-Key: the request sent again with it (a retry after a lost answer, or the proxy's
    # re-send when a replica died) gets this note back instead of a second one (plans.note.service).
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="",
                                               help_text="SHA-256 of the request the key was first sent with.")

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["agency", "issued_at"])]
        constraints = [models.UniqueConstraint(fields=["idempotency_key"], condition=~models.Q(idempotency_key=""),
                                               name="note_idempotency_key_once")]

    def __str__(self):
        return self.number

    @property
    def is_official(self):
        return self.mode == NoteMode.OFFICIAL


class NoteCounter(models.Model):
    """The last official note number given per agency and year (numbers restart at 1 each year)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="note_counter_per_agency_year")]
