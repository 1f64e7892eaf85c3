"""Publishing: the registry of layers served on the OGC API (see the layers issue)."""

# Publishing records (uploads, mappings, parcel releases, tokens, audit log).
from .records import (  # noqa: E402,F401
    ApiToken, AuditEntry, FieldMapping, LayerUpload, ParcelRelease, ParcelSnapshot,
)
