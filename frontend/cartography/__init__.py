"""Server-side cartography: the static print map (SVG drawn by PostGIS, colours and words from plans.vocabulary)
that notes and extracts embed.

A shared service under the slices. May import: the law and the ground floor.
"""
