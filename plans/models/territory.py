"""Urban agencies and the communes they cover."""
from django.contrib.gis.db import models

from ..crs import LAMBERT_CHOICES
from .geometry import check_geometry, valid_geometry_constraint


class Agency(models.Model):
    """An urban agency (agence urbaine): publishes plans for its territory only."""

    code = models.SlugField(
        max_length=12,
        unique=True,
        help_text="Short code used in note numbers, e.g. AUT for the Agence Urbaine de Tétouan.",
    )
    name_fr = models.CharField(max_length=200)
    name_ar = models.CharField(max_length=200)
    srid = models.PositiveIntegerField(
        choices=LAMBERT_CHOICES,
        help_text="Official Lambert CRS in which the agency's plans, areas and coordinates are expressed.",
    )
    jurisdiction = models.MultiPolygonField(srid=4326, help_text="Territory the agency covers (lon/lat).")
    address_fr = models.CharField(max_length=300, blank=True)
    address_ar = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "agencies"
        constraints = [valid_geometry_constraint("jurisdiction", "agency_jurisdiction_valid")]

    def __str__(self):
        return f"{self.code} — {self.name_fr}"

    def clean(self):
        check_geometry(self.jurisdiction, f"agency {self.code}")


class Commune(models.Model):
    """A commune (territorial collectivity) inside an agency's territory."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="communes")
    code = models.CharField(max_length=20)
    name_fr = models.CharField(max_length=200)
    name_ar = models.CharField(max_length=200)
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        ordering = ["agency", "name_fr"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="commune_code_unique_per_agency"),
            valid_geometry_constraint("geom", "commune_geom_valid"),
        ]

    def __str__(self):
        return f"{self.name_fr} ({self.agency.code})"

    def clean(self):
        check_geometry(self.geom, f"commune {self.code}")
