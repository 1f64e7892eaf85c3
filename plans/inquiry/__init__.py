"""The public inquiry (enquête publique) of a draft plan, online.

While a draft's inquiry is open (between its dates, plans.models: PlanDocument.objects.under_inquiry, the SQL
function plan_under_inquiry) the draft is public for consultation and never binding: its OGC collections
(zones-inquiry, servitudes-inquiry, the catalogue record; layers migration 0006) and the web map's draft layers
say so, and its printed map carries a watermark (frontend.cartography). Notes, extracts and every "in force"
answer keep reading plan_in_force only.

selectors.py (open inquiries, the draft of one), api.py (/api/inquiries, the draft's printed map).

A feature slice: it owns its HTTP views (api, api_urls). May import frontend.cartography, layers.serving,
staff, the law and the ground floor; never another slice.
"""
