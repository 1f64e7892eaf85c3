"""Plan extracts for architects: the approved plan clipped to a parcel or an area.

An extract is asked for with an ExtractRequest (request.py), resolved to one
plan in force and an area in the plan's Lambert CRS (area.py), clipped by
PostGIS (clipping.py) and written in the user's format by one writer module
per format (writers/). service.py applies the limits, logs every extract and
sends big ones to a background job (jobs.py).

A feature slice (app `extracts`): it owns its views (api, pages, urls), templates, admin and command.
May import: frontend.cartography, the law and the ground floor.
"""
