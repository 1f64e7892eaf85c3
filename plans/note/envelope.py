"""The note's 3D envelope: downloads (glTF binary, CityJSON 2.0), the page that shows it in 3D, and the 3D view
of a parcel or lot before its note (GET /api/envelope, for the web map's panel).

Drawn from the note's stored content (plans.reglement.envelope3d): an issued note never changes, so neither
does its envelope. The 3D page loads three.js from our static files (vendored from npm, no CDN) and shows the
envelope over the parcel and its neighbours (the parcels around it, flat at ground level).
"""
import json

import shapely
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans.crs import WGS84, transform_shapely
from plans.reglement import envelope3d
from plans.selectors import parse_date

from .api import get_note
from .lot3d import envelope_scene

FORMATS = {"glb": "model/gltf-binary", "city.json": "application/city+json"}


def _land(note):
    return transform_shapely(shapely.from_wkb(bytes(note.land.wkb)), WGS84, note.content["srid"])


def note_envelope(request, number, fmt):
    note = get_note(number)
    land = _land(note)
    data = envelope3d.gltf(note.content, land) if fmt == "glb" else envelope3d.cityjson_bytes(note.content, land)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="enveloppe-{note.number}.{fmt}"'
    return response


def scene_json(note):
    """The 3D view's scene of `note` (plans.reglement.envelope3d.scene), its glTF fetched from our URL."""
    scene = envelope3d.scene(note.content, _land(note)) | {"glb": f"/notes/{note.number}/envelope.glb"}
    return json.dumps(scene).replace("<", "\\u003c")


def note_3d(request, number):
    note = get_note(number)
    return render(request, "note/3d.html", {"note": note, "scene": scene_json(note)})


@require_GET
def lot_envelope(request):
    """GET /api/envelope?titles=TF 1/19[,TF 2/19…][&agency=AUT][&date=YYYY-MM-DD]: the 3D view of what can be
    built on the parcel or the lot (one or several adjacent titles) with the plans in force that day: the glTF
    (base64) of the stepped envelope, Lambert metres from `origin`, the neighbours' rings and the figures."""
    on = parse_date(request.GET.get("date"))
    scene = envelope_scene(request.GET.get("titles"), request.GET.get("agency") or None, on)
    return JsonResponse(scene, json_dumps_params={"ensure_ascii": False})
