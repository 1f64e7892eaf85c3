"""OGC API under /ogc/: the layer registry, SQL-first queries (one prepared round trip), CQL2, the fast path,
pygeoapi configuration and providers, records, scanned sheets as tiles, and the views and URLs.

pygeoapi for metadata, HTML and records; PostGIS-written GeoJSON and MVT for data.
May import: layers' records, staff, the law and the ground floor; never publishing nor another slice.
"""
