"""The public contract of /api/ (edge): the URL map (urls) and the OpenAPI document (openapi), assembled from
the routes each slice declares in its api_urls module.

May import every floor.
"""
