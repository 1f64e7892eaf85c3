"""OGC API under /ogc/: pygeoapi for metadata, HTML and records; PostGIS-written GeoJSON and MVT for data."""
