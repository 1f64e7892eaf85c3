"""GET /extraits: the form an architect fills to download a plan extract (French and Arabic).

The form submits to GET /api/extracts; the parcel page and the web map link
here with ?parcel=TF…, or straight to the API with the same parameters.
"""
from django.shortcuts import render

from plans.crs import SUPPORTED_SRIDS
from plans.extracts.layers import LAYERS
from plans.extracts.metadata import CRS_NAMES
from plans.extracts.writers.pdf import STANDARD_SCALES
from plans.extracts.writers import FORMATS


def extract_form(request):
    return render(request, "extracts/form.html", {
        "parcel": request.GET.get("parcel", ""),
        "agency": request.GET.get("agency", ""),
        "bbox": request.GET.get("bbox", ""),
        "formats": FORMATS,
        "layers": LAYERS,
        "crs_choices": [(srid, CRS_NAMES[srid]) for srid in SUPPORTED_SRIDS],
        "scales": STANDARD_SCALES,
    })
