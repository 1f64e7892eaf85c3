"""POST /api/notes: issue an urbanism information note; GET /api/notes/<number>: the issued record.

Request (JSON, or multipart with a `file` field for an uploaded outline):
  {"title_number": "TF 10001/19"}                                  a land title or requisition number
  {"geometry": {GeoJSON Polygon}, "crs": "EPSG:26191"}             a drawn or computed outline
  {"coordinates": [[x, y], …] or "x y\\nx y…", "crs": "EPSG:26191"} a surveyor's boundary points
  optional: "agency": "AUT", "mode": "official" | "indicative"
Response 201: number, mode, issued_at, signature, key_id (of the signing key), links (html, pdf, verify, json), content.
"""
import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from plans.models import IssuedNote
from plans.note import issue
from plans.note.ratelimit import check_anonymous
from plans.note.render import base_url, links
from plans.note.verify import pdf_matches, status

from .body import json_object
from .errors import InvalidParameter, MissingParameter, NotFound


def _json(body, status_code=200):
    return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})


def request_fields(request):
    """(fields dict, (filename, bytes) or None) from a JSON or multipart body."""
    if request.content_type == "application/json":
        return json_object(request), None
    data = {key: value for key, value in request.POST.items() if value != ""}
    if isinstance(data.get("geometry"), str):
        try:
            data["geometry"] = json.loads(data["geometry"])
        except ValueError as exc:
            raise InvalidParameter(f"geometry is not valid GeoJSON: {exc}", "geometry") from None
    upload = request.FILES.get("file")
    return data, ((upload.name, upload.read()) if upload else None)


def note_json(note, request):
    return {"number": note.number, "mode": note.mode, "issued_at": note.issued_at.isoformat(),
            "signature": note.signature, "key_id": note.key_id, "pdf_sha256": note.pdf_sha256 or None,
            "links": links(note, request), "content": note.content}


def get_note(number):
    note = IssuedNote.objects.select_related("agency").filter(number=number).first()
    if note is None:
        raise NotFound(f"no note numbered {number!r}; check the number printed on the note")
    return note


@csrf_exempt
@require_POST
def create(request):
    data, upload = request_fields(request)
    check_anonymous(request)
    note = issue(data, upload, mode=data.get("mode") or IssuedNote.Mode.OFFICIAL, user=request.user,
                 root=base_url(request))
    response = _json(note_json(note, request), 201)
    response["Location"] = links(note, request)["json"]
    return response


@require_GET
def detail(request, number):
    return _json(note_json(get_note(number), request))


@csrf_exempt
def verify(request, number):
    """GET: is the record authentic and still current. POST a PDF as `file`: is it the one issued."""
    note = get_note(number)
    body = status(note)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            raise MissingParameter("send the PDF to check as the multipart field 'file'", "file")
        body["pdf_matches"] = pdf_matches(note, upload.read())
    return _json(body)
