"""The life of a plan document, by agency staff in the staff pages (/staff/plans/), without a superuser.

- perimeter.py   the perimeter of a plan: from an uploaded file (GeoJSON, KML, zipped Shapefile, DXF; read by
                 plans.outline_files, the same safe readers as the note's outline) or the union of its zones
- services.py    writes: create a plan (a new one, or the next version of one), set its perimeter, attach its
                 decree and règlement PDFs (checked by geoportal.core.attachments), move it through
                 draft → inquiry → approved → superseded with PlanDocument.change_status()'s legal checks
- agencies.py    a national administrator creates an agency from the province list (plans.boundaries):
                 territory, communes, Lambert zone
- selectors.py   reads: the plans a user may see, a plan's history (creation, attachments, status changes,
                 layer publications)
- pages.py, urls.py, templates/lifecycle/   the thin staff pages

Who may do what (geoportal/staff/roles.py, publishing_role): an editor creates drafts, sets their perimeter and
attaches files; a publisher changes the status; a national administrator creates agencies.
"""
