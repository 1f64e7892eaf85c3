"""The public web map: its page and embeds (views, embeds), its configuration and words (config, strings) and
its JSON APIs (api, api_urls: /api/place, /api/search, /api/plans, /api/territories; places, search, queries).

A feature slice. May import: frontend.cartography, layers.serving, the law and the ground floor.
"""
