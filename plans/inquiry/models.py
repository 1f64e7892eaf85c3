"""The register of a public inquiry: observations, their co-signatures, attachments, groups and answers.

An Inquiry is the agency's record of one draft's public inquiry: the dates are the plan's own
(PlanDocument.inquiry_start / inquiry_end, read by plan_under_inquiry), the communes, and where the paper file
can be seen. An Observation is public only once staff publish it, and then without personal data: the author's
name and e-mail, co-signers' names and e-mails, attachments and the original text stay with the agency; the
public sees `public_text` (the text as moderated). Places are stored in EPSG:4326 (a point, a parcel's outline
or a drawn area).
"""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone

from geoportal.core.attachments import ALLOWED
from geoportal.core.private_files import private_storage, server_name
from plans.models import Commune, Parcel, PlanDocument
from plans.vocabulary import OBSERVATION_THEMES


class Inquiry(models.Model):
    plan = models.OneToOneField(PlanDocument, on_delete=models.PROTECT, related_name="inquiry")
    communes = models.ManyToManyField(Commune, blank=True, related_name="inquiries")
    paper_file_fr = models.TextField(blank=True, help_text="Where the paper file and register can be consulted.")
    paper_file_ar = models.TextField(blank=True)
    last_number = models.PositiveIntegerField(default=0, editable=False,
                                              help_text="Observations numbered so far (row-locked when filing).")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "inquiries"

    def __str__(self):
        return f"Enquête publique {self.plan.reference} v{self.plan.version}"


class Theme(models.TextChoices):
    """What an observation is about; values and words (FR here, AR on the map) from plans.vocabulary."""
    ZONING = "zonage", OBSERVATION_THEMES["zonage"][0]
    ROADS = "voirie", OBSERVATION_THEMES["voirie"][0]
    EQUIPMENT = "equipements", OBSERVATION_THEMES["equipements"][0]
    RULES = "reglement", OBSERVATION_THEMES["reglement"][0]
    SERVITUDES = "servitudes", OBSERVATION_THEMES["servitudes"][0]
    HERITAGE = "patrimoine", OBSERVATION_THEMES["patrimoine"][0]
    OTHER = "autre", OBSERVATION_THEMES["autre"][0]


class ObservationStatus(models.TextChoices):
    RECEIVED = "received", "Reçue (en attente de modération)"
    PUBLISHED = "published", "Publiée"
    REJECTED = "rejected", "Non publiée"


class ObservationGroup(models.Model):
    """Observations the agency answers together (same subject), with one reasoned answer."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="groups")
    title = models.CharField(max_length=200)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    def __str__(self):
        return self.title


class Observation(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="observations")
    number = models.CharField(max_length=40, unique=True)
    position = models.PositiveIntegerField(help_text="Its number in the register (1, 2, 3…).")
    secret_hash = models.CharField(max_length=64, editable=False)
    theme = models.CharField(max_length=20, choices=Theme.choices, default=Theme.OTHER)
    article = models.CharField(max_length=60, blank=True, help_text='Article of the draft règlement, e.g. "Article 12"')
    text = models.TextField()
    public_text = models.TextField(blank=True, help_text="The text as published (personal data removed).")
    place = models.GeometryField(srid=4326, help_text="Point, parcel outline or drawn area (lon/lat).")
    parcel = models.ForeignKey(Parcel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=2, default="fr")
    author_name = models.CharField(max_length=200, blank=True, help_text="Empty: anonymous.")
    author_email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=ObservationStatus.choices, default=ObservationStatus.RECEIVED)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderation_reason = models.CharField(max_length=300, blank=True)
    group = models.ForeignKey(ObservationGroup, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="observations")
    answer = models.TextField(blank=True, help_text="The reasoned answer (réponse motivée) to this observation.")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["inquiry", "position"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "position"], name="inquiry_observation_position")]
        indexes = [models.Index(fields=["inquiry", "status"], name="inquiry_obs_status_idx")]

    def __str__(self):
        return self.number

    @property
    def reasoned_answer(self):
        """The answer that applies: its own, else its group's."""
        return self.answer or (self.group.answer if self.group_id else "")


def attachment_path(instance, filename):
    """A name the server chooses: inquiry/<agency>/<random>.<type> (the sender's name is kept for display)."""
    return server_name(f"inquiry/{instance.observation.inquiry.plan.agency.code.lower()}", ALLOWED[instance.mime])


class ObservationAttachment(models.Model):
    """A file attached to an observation, checked by its content (geoportal.core.attachments), kept private."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    mime = models.CharField(max_length=60)
    size = models.PositiveIntegerField(help_text="bytes")
    uploaded_at = models.DateTimeField(default=timezone.now)


class CoSignature(models.Model):
    """Someone who joins a published observation; told of its answer when they gave an e-mail."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="cosignatures")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["observation", "email"], condition=~models.Q(email=""),
                                               name="inquiry_cosign_once")]


class RegisterExport(models.Model):
    """A signed export of an inquiry's register: what it said (content), when, signed like a note.

    The PDF carries a QR code to /enquete/registres/<number>/verifier, which recomputes the signature.
    """

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="exports")
    number = models.CharField(max_length=40, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    content = models.JSONField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=64)

    def __str__(self):
        return self.number


class Watch(models.Model):
    """An e-mail address watching parcels or an area (lon/lat); told only once confirmed (double opt-in)."""

    email = models.EmailField()
    geom = models.GeometryField(srid=4326)
    parcels = models.CharField(max_length=600, blank=True, help_text="Land titles watched, as typed (normalised).")
    lang = models.CharField(max_length=2, default="fr")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.email} ({self.parcels or 'zone'})"


class WatchNotice(models.Model):
    """What a watch was told, once per plan and kind: an inquiry opening, a version coming into force (its date
    of effect reached), a version superseded."""

    class Kind(models.TextChoices):
        INQUIRY_OPEN = "inquiry_open", "Enquête ouverte"
        IN_FORCE = "in_force", "Nouvelle version en vigueur"
        SUPERSEDED = "superseded", "Version remplacée"

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="notices")
    plan = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["watch", "plan", "kind"], name="inquiry_watch_told_once")]
