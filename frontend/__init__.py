"""What people see: the web map (webmap/: pages, embeds and the map's JSON APIs), the server-side cartography
(cartography/: the print map notes and extracts embed), and the site's templates, static files and translations.

cartography/ is a shared service (may import the law and the ground floor); webmap/ is a feature slice (may
import cartography, layers.serving, staff, the law and the ground floor, nothing of another slice).
"""
