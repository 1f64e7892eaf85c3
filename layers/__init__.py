"""OGC layers, one Django app: its records and migrations here, serving/ and publishing/ as two sub-packages.

records/models (LayerUpload, ApiToken, AuditEntry…, LayerPublication) stand beside staff and may import the law;
serving/ may import them, staff, the law and the ground floor; publishing/ may import serving/ too.
"""
