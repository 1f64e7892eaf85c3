"""Publishing: the registry of layers served on the OGC API (see the layers issue)."""
from django.db import models


class LayerPublication(models.Model):
    """Whether a collection of the layer registry (layers.serving.registry) is served on /ogc/.

    A collection without a row is published. Writing this table bumps its
    data version (plans.versions), which every worker's cached OGC API
    configuration is keyed on: a change is seen at once, without a restart.
    """

    collection = models.SlugField(max_length=60, unique=True, help_text="Collection id, e.g. zones, parcels.")
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["collection"]

    def __str__(self):
        return f"{self.collection}: {'published' if self.published else 'unpublished'}"


# Publishing records (uploads, mappings, parcel releases, tokens, audit log).
from .records import (  # noqa: E402,F401
    ApiToken, AuditEntry, FieldMapping, LayerUpload, ParcelRelease, ParcelSnapshot,
)
