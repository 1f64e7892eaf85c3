"""Which generated or imported dataset is loaded, so that loaders can be re-run safely."""
from django.db import models


class DatasetLoad(models.Model):
    """The fingerprint of the last load of a named dataset (e.g. "sample")."""

    name = models.SlugField(unique=True)
    fingerprint = models.CharField(max_length=200)
    loaded_at = models.DateTimeField(auto_now=True)
    seconds = models.FloatField(default=0)

    def __str__(self):
        return f"{self.name}: {self.fingerprint}"
