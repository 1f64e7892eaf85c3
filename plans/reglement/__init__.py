"""The règlement as data, applied to a parcel.

expressions.py (the safe formula language of provisions), validation.py (is a set of provisions
consistent; messages name the provision), provisions.py (the one writer of a rule's provisions and of its
flat summary), flat.py (flat ZoneRule fields ↔ provisions), interchange.py (JSON/CSV, one row per provision).

Part of the law floor: may import plans' models, vocabulary and CRS, and the ground floor.
"""
