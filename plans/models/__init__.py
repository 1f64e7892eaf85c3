"""Planning data: territories, plan documents, their zones and servitudes, parcels.

Every geometry is stored in EPSG:4326 (see plans.crs for why and for the
pinned Merchich datum shift); areas and lengths are computed in the owning
agency's Lambert projection, in square metres and metres.

The data model imports no HTTP (import-linter contract). May import: plans' own modules and the ground floor.
"""
from .document import PlanAttachment, PlanDocument, PlanStatusChange
from .extract_log import ExtractLog
from .note import IssuedNote, NoteCounter
from .parcel import Parcel
from .provenance import DatasetLoad
from .provision import Provision
from .territory import Agency, Commune
from .zoning import Servitude, ServitudePiece, Zone, ZoneRule

__all__ = [
    "Agency",
    "Commune",
    "DatasetLoad",
    "ExtractLog",
    "IssuedNote",
    "NoteCounter",
    "Parcel",
    "PlanAttachment",
    "PlanDocument",
    "PlanStatusChange",
    "Provision",
    "Servitude",
    "ServitudePiece",
    "Zone",
    "ZoneRule",
]
