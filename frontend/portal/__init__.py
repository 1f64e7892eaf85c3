"""The portal's own pages: the home page (what the portal offers, in French and Arabic), the open-data page for
GIS users, an agency's entry URL (/a/<code>/ → its map), the favicon and the vocabulary's colours as CSS.

The shell every page wears is geoportal/core/shell.py + frontend/templates/site/base.html.
"""
