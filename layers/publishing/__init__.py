"""Layer publishing for agency GIS staff: upload, reading, staging, validation, mapping, publish, versions,
parcel releases, scanned sheets attached, jobs, staff pages, API and tokens.

A feature slice. May import: layers.serving, layers' records, staff, the law and the ground floor.
"""
