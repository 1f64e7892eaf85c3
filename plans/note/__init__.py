"""The urbanism information note (note de renseignements urbanistiques).

issue() is the one place where a note is issued (a fee or permission gate
goes there); the rest of the package: land.py (which land), overlay.py (the
PostGIS overlay), content.py (what the note says), numbering.py, signing.py,
render.py (HTML and PDF), verify.py (is it authentic, is it still current).

A feature slice: it owns its HTTP views (api, pages, api_urls, urls), templates and jobs. May import:
frontend.cartography, staff, the law and the ground floor; gates (fees) plug in by settings.NOTE_ISSUANCE_GATES.
"""
from .service import issue

__all__ = ["issue"]
