"""Plan documents (SDAU, plan d'aménagement…), their legal status and history."""
from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Func, Q, Value
from django.utils import timezone

from ..crs import LAMBERT_CHOICES
from .geometry import check_geometry, valid_geometry_constraint
from .territory import Agency, Commune


class PlanKind(models.TextChoices):
    SDAU = "sdau", "Schéma directeur d'aménagement urbain (SDAU)"
    ZONING = "zonage", "Plan de zonage"
    PA = "pa", "Plan d'aménagement"
    PDAR = "pdar", "Plan de développement d'agglomération rurale"
    RESTRUCTURING = "restructuration", "Plan de restructuration"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Projet"
    PUBLIC_INQUIRY = "public_inquiry", "Enquête publique"
    APPROVED = "approved", "Approuvé"
    SUPERSEDED = "superseded", "Remplacé"
    EXPIRED = "expired", "Expiré"


# The only status changes the law allows (law 12-90): a draft goes to public
# inquiry, may come back for revision, and is approved by decree; an approved
# plan ends superseded by a newer one or expired after its ten years.
ALLOWED_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.PUBLIC_INQUIRY},
    PlanStatus.PUBLIC_INQUIRY: {PlanStatus.DRAFT, PlanStatus.APPROVED},
    PlanStatus.APPROVED: {PlanStatus.SUPERSEDED, PlanStatus.EXPIRED},
    PlanStatus.SUPERSEDED: set(),
    PlanStatus.EXPIRED: set(),
}
LEGAL_STATUSES = (PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.EXPIRED)


class PlanDocumentQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """Plans legally in force on date `on` (default: today, Africa/Casablanca).

        Approved (or since superseded/expired) plans whose date of effect is on
        or before `on` and that had not yet been superseded or expired then.
        Drafts and plans under public inquiry are never in force.
        The rule is the SQL function plan_in_force (migration 0009), which the public views use too.
        """
        on = on or timezone.localdate()
        return self.filter(Func(F("status"), F("effective_date"), F("superseded_on"), F("expiry_date"),
                                Value(on, output_field=models.DateField()), function="plan_in_force",
                                output_field=models.BooleanField()))

    def under_inquiry(self, on=None):
        """Drafts whose public inquiry is open on date `on` (default: today, Africa/Casablanca).

        Public for consultation, never binding: nothing "in force" reads them. The rule is the SQL function
        plan_under_inquiry (migration 0012), which the public views use too.
        """
        on = on or timezone.localdate()
        return self.filter(Func(F("status"), F("inquiry_start"), F("inquiry_end"),
                                Value(on, output_field=models.DateField()), function="plan_under_inquiry",
                                output_field=models.BooleanField()))


class PlanDocument(models.Model):
    """One version of a planning document of an agency."""

    Kind = PlanKind
    Status = PlanStatus

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="plans")
    communes = models.ManyToManyField(Commune, related_name="plans", blank=True)
    reference = models.SlugField(
        max_length=60, help_text="Stable identifier of the plan across its versions, e.g. pa-tetouan-centre."
    )
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    title_fr = models.CharField(max_length=300)
    title_ar = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    decree_reference = models.CharField(max_length=100, blank=True, help_text="e.g. Décret n° 2-19-123")
    decree_date = models.DateField(null=True, blank=True)
    effective_date = models.DateField(null=True, blank=True, help_text="Date of effect (publication in the BO).")
    expiry_date = models.DateField(null=True, blank=True)
    superseded_on = models.DateField(null=True, blank=True)
    inquiry_start = models.DateField(null=True, blank=True)
    inquiry_end = models.DateField(null=True, blank=True)
    srid = models.PositiveIntegerField(choices=LAMBERT_CHOICES, help_text="Official Lambert CRS of the plan.")
    scale_denominator = models.PositiveIntegerField(default=2000, help_text="e.g. 2000 for 1/2,000")
    # Publishing (layers app) adds the plan's zones and servitudes as a new
    # revision, then switches live_revision in one transaction; older
    # revisions stay in the tables so that a rollback is one UPDATE.
    live_revision = models.PositiveIntegerField(default=1)
    perimeter = models.MultiPolygonField(srid=4326, help_text="Perimeter the plan covers (lon/lat).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "reference", "version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "reference", "version"], name="plan_version_unique"),
            models.CheckConstraint(
                condition=~Q(status__in=LEGAL_STATUSES)
                | (Q(decree_reference__gt="") & Q(decree_date__isnull=False) & Q(effective_date__isnull=False)),
                name="plan_approved_has_decree",
                violation_error_message="an approved plan needs its decree reference, decree date and date of effect",
            ),
            valid_geometry_constraint("perimeter", "plan_perimeter_valid"),
        ]

    def __str__(self):
        return f"{self.title_fr} (v{self.version}, {self.get_status_display()})"

    @property
    def is_public(self):
        return self.status in LEGAL_STATUSES

    def clean(self):
        check_geometry(self.perimeter, f"plan {self.reference}")
        if self.status in LEGAL_STATUSES:
            self._check_approvable()
        if self.expiry_date and self.effective_date and self.expiry_date <= self.effective_date:
            raise ValidationError({"expiry_date": f"expiry {self.expiry_date} is not after date of effect {self.effective_date}"})

    def _check_approvable(self):
        missing = [
            label
            for label, value in (
                ("decree_reference", self.decree_reference),
                ("decree_date", self.decree_date),
                ("effective_date", self.effective_date),
            )
            if not value
        ]
        if missing:
            raise ValidationError(
                {name: f"plan {self.reference} v{self.version} cannot be approved without {name}" for name in missing}
            )

    @transaction.atomic
    def change_status(self, new_status, user=None, comment="", on=None):
        """Move the plan to `new_status`, validating the transition and recording who/when.

        Approving a plan that supersedes another marks the older one superseded
        from this plan's date of effect. Raises ValidationError with the reason.
        """
        new_status = PlanStatus(new_status)
        old_status = PlanStatus(self.status)
        if new_status not in ALLOWED_TRANSITIONS[old_status]:
            allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[old_status])) or "none"
            raise ValidationError(
                f"plan {self.reference} v{self.version}: cannot go from {old_status.value} to {new_status.value} "
                f"(allowed: {allowed})"
            )
        self.status = new_status
        if new_status == PlanStatus.APPROVED:
            self._check_approvable()
            if self.expiry_date is None:
                self.expiry_date = _add_years(self.effective_date, 10)
            if self.supersedes_id and self.supersedes.status == PlanStatus.APPROVED:
                self.supersedes.superseded_on = self.effective_date
                self.supersedes.change_status(PlanStatus.SUPERSEDED, user, f"superseded by v{self.version}")
        self.full_clean()
        self.save()
        PlanStatusChange.objects.create(
            plan=self,
            from_status=old_status,
            to_status=new_status,
            changed_by=user if user and user.is_authenticated else None,
            changed_at=on or timezone.now(),
            comment=comment,
        )


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class PlanStatusChange(models.Model):
    """Audit record of one status change of a plan."""

    plan = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=PlanStatus.choices)
    to_status = models.CharField(max_length=20, choices=PlanStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "changed_at"]

    def __str__(self):
        return f"{self.plan.reference} v{self.plan.version}: {self.from_status} → {self.to_status}"


class PlanAttachment(models.Model):
    """A file attached to a plan: its written regulation, a scanned sheet…"""

    class Kind(models.TextChoices):
        REGULATION = "regulation", "Règlement d'aménagement"
        SHEET = "sheet", "Planche scannée"
        DECREE = "decree", "Décret d'approbation"
        OTHER = "other", "Autre"

    plan = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title_fr = models.CharField(max_length=300)
    title_ar = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to="plans/%Y/")
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "kind", "title_fr"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title_fr}"

