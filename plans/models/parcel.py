"""Land parcels, identified by their land title or requisition number."""
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError

from ..titles import InvalidTitleNumber, normalise_title
from .geometry import check_geometry, valid_geometry_constraint
from .territory import Agency, Commune


class Parcel(models.Model):
    """A cadastral parcel: its boundary (lon/lat) and the area written on its title (m²)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="parcels")
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="parcels")
    title_number = models.CharField(max_length=40, help_text='Normalised: "TF 12345/19" or "R 678/19".')
    area_on_title_m2 = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        ordering = ["agency", "title_number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "title_number"], name="parcel_title_unique_per_agency"),
            valid_geometry_constraint("geom", "parcel_geom_valid"),
        ]

    def __str__(self):
        return self.title_number

    def clean(self):
        try:
            self.title_number = normalise_title(self.title_number)
        except InvalidTitleNumber as exc:
            raise ValidationError({"title_number": str(exc)}) from None
        check_geometry(self.geom, f"parcel {self.title_number}")

    def save(self, *args, **kwargs):
        self.title_number = normalise_title(self.title_number)
        super().save(*args, **kwargs)
