"""Who works for which agency: one membership per user and agency, carrying the roles every feature reads.

- `publishing_role` (layer publishing, geoportal/staff/roles.py): viewer < editor
  (uploads, validates) < publisher (publishes, rolls back);
- `services_role` (e-services, geoportal/staff/roles.py): agent
  (complaints, permit files, documents, invoices) < supervisor (also the
  delays dashboard and publishing commission results).
An empty role gives nothing in that feature. National admins (the Django
group "national admin") and superusers act in every agency.
"""
from django.conf import settings
from django.db import models

from plans.models import Agency

NATIONAL_ADMIN = "national admin"


class PublishingRole(models.TextChoices):
    VIEWER = "viewer", "Lecteur"
    EDITOR = "editor", "Éditeur"
    PUBLISHER = "publisher", "Publicateur"


class ServicesRole(models.TextChoices):
    AGENT = "agent", "Agent"
    SUPERVISOR = "supervisor", "Superviseur"


class Membership(models.Model):
    """A user works for an agency; the roles say what they may do there in each feature."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_staff")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="staff")
    publishing_role = models.CharField(max_length=20, choices=PublishingRole.choices, blank=True,
                                       help_text="Publication des couches (vide : aucun accès).")
    services_role = models.CharField(max_length=20, choices=ServicesRole.choices, blank=True,
                                     help_text="E-services : réclamations, dossiers, documents, factures (vide : aucun accès).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="staff_one_membership_per_agency")]
        ordering = ["agency__code", "user__username"]

    def __str__(self):
        roles = ", ".join(r for r in (self.get_publishing_role_display(), self.get_services_role_display()) if r)
        return f"{self.user} @ {self.agency.code} ({roles or 'aucun rôle'})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.user.is_staff:  # staff work in the admin and the staff pages: let them log in
            self.user.is_staff = True
            self.user.save(update_fields=["is_staff"])


def grant(user, agency, publishing_role=None, services_role=None):
    """Give `user` these roles in `agency` (the user's other role there is kept); returns the membership."""
    membership, _ = Membership.objects.get_or_create(user=user, agency=agency)
    if publishing_role is not None:
        membership.publishing_role = PublishingRole(publishing_role)
    if services_role is not None:
        membership.services_role = ServicesRole(services_role)
    membership.save()
    return membership


def is_national_admin(user):
    return user.is_superuser or user.groups.filter(name=NATIONAL_ADMIN).exists()
