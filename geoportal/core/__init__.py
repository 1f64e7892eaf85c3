"""The ground floor: HTTP and infrastructure plumbing with no domain word in it.

Typed errors (errors) and their one mapping to HTTP (responses: OGC JSON on /api/ and /ogc/, HTML pages for
browsers, the JSON 500), request bodies and numbers (body), the client's address (client), absolute links and QR
codes (qr), rate limits (ratelimit), background jobs (jobs), the visitor's language (language), file formats
recognised by their bytes (file_formats), what WeasyPrint may fetch (pdf_resources), the admin map widget.
May import: Django and libraries only, never a feature nor the law.
"""
