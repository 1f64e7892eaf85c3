"""Permit files (dossiers d'autorisation), building-commission sessions and their decisions.

Only what the agencies already publish is public: the file number, kind,
commune, status and the commission's decision with its reasons and
conditions, once the session's results are published. Applicants' names
are not stored here.
"""
from django.db import models
from django.utils import timezone

from plans.models import Agency, Commune


class PermitKind(models.TextChoices):
    BUILD = "construire", "Permis de construire"
    SUBDIVIDE = "lotir", "Autorisation de lotir"
    SPLIT = "morceler", "Autorisation de morcellement"
    HOUSING_GROUP = "groupe_habitations", "Groupe d'habitations"
    REGULARISE = "regularisation", "Régularisation"


class FileStatus(models.TextChoices):
    DEPOSITED = "deposited", "Déposé"
    IN_COMMISSION = "in_commission", "En commission"
    FAVOURABLE = "favourable", "Avis favorable"
    UNFAVOURABLE = "unfavourable", "Avis défavorable"
    DEFERRED = "deferred", "Ajourné"


class Decision(models.TextChoices):
    FAVOURABLE = "favourable", "Favorable"
    UNFAVOURABLE = "unfavourable", "Défavorable"
    DEFERRED = "deferred", "Ajourné"


class PermitFile(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="permit_files")
    number = models.CharField(max_length=40, help_text="The file number given at deposit, e.g. PC-2026-0153.")
    kind = models.CharField(max_length=30, choices=PermitKind.choices)
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project_fr = models.CharField(max_length=300, blank=True, help_text="Short public description, e.g. R+3 villa.")
    project_ar = models.CharField(max_length=300, blank=True)
    filed_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=20, choices=FileStatus.choices, default=FileStatus.DEPOSITED, editable=False)

    class Meta:
        ordering = ["agency", "-filed_on", "number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="es_permit_number_unique")]

    def __str__(self):
        return f"{self.number} ({self.agency.code})"


class SessionKind(models.TextChoices):
    SMALL = "petits_projets", "Commission des petits projets"
    LARGE = "grands_projets", "Commission des grands projets"


class CommissionSession(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="commission_sessions")
    reference = models.CharField(max_length=40, help_text="e.g. CPP-2026-12")
    kind = models.CharField(max_length=20, choices=SessionKind.choices, default=SessionKind.SMALL)
    held_on = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["agency", "-held_on"]
        constraints = [models.UniqueConstraint(fields=["agency", "reference"], name="es_session_ref_unique")]

    def __str__(self):
        return f"{self.reference} du {self.held_on:%d/%m/%Y} ({self.agency.code})"

    @property
    def is_published(self):
        return self.published_at is not None


class CommissionDecision(models.Model):
    session = models.ForeignKey(CommissionSession, on_delete=models.PROTECT, related_name="decisions")
    file = models.ForeignKey(PermitFile, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reasons_fr = models.TextField(blank=True)
    reasons_ar = models.TextField(blank=True)
    conditions_fr = models.TextField(blank=True, help_text="Conditions of a favourable opinion (réserves).")
    conditions_ar = models.TextField(blank=True)

    class Meta:
        ordering = ["session", "file__number"]
        constraints = [models.UniqueConstraint(fields=["session", "file"], name="es_decision_once_per_session")]

    def __str__(self):
        return f"{self.file.number}: {self.get_decision_display()}"
