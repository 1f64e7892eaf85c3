"""Documents the agency publishes (regulations, laws, circulars, procedures, procurement notices).

Full-text search uses two PostgreSQL tsvector columns kept up to date by
documents.services.save_document(): `search_fr` with the French
configuration (stemming: « lotissements » finds « lotissement ») and
`search_ar` with the 'simple' configuration for Arabic, each with a GIN index.
"""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from plans.models import Agency


class DocumentKind(models.TextChoices):
    LAW = "loi", "Loi"
    DECREE = "decret", "Décret"
    REGULATION = "reglement", "Règlement"
    CIRCULAR = "circulaire", "Circulaire"
    PROCEDURE = "procedure", "Procédure"
    PROCUREMENT = "marche", "Appel d'offres"
    REPORT = "rapport", "Rapport"
    OTHER = "autre", "Autre"


def document_path(instance, filename):
    return f"eservices/documents/{timezone.now():%Y}/{filename}"


class AgencyDocument(models.Model):
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
                               help_text="Empty for national texts (laws, decrees) shown by every agency.")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    reference = models.CharField(max_length=100, blank=True, help_text="e.g. Loi n° 12-90, Dahir 1-92-31")
    title_fr = models.CharField(max_length=300)
    title_ar = models.CharField(max_length=300, blank=True)
    summary_fr = models.TextField(blank=True)
    summary_ar = models.TextField(blank=True)
    file = models.FileField(upload_to=document_path, help_text="PDF.")
    size = models.PositiveIntegerField(default=0, editable=False, help_text="bytes")
    body_text = models.TextField(blank=True, editable=False, help_text="Text extracted from the PDF, for search.")
    published_on = models.DateField(default=timezone.localdate)
    search_fr = SearchVectorField(null=True, editable=False)
    search_ar = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_on", "title_fr"]
        indexes = [GinIndex(fields=["search_fr"], name="es_document_search_fr"),
                   GinIndex(fields=["search_ar"], name="es_document_search_ar")]

    def __str__(self):
        return self.title_fr
