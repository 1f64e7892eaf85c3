"""POST /api/notes: issue an urbanism information note; GET /api/notes/<number>: the issued record.

Request (JSON, or multipart with a `file` field for an uploaded outline):
  {"title_number": "TF 10001/19"}                                  a land title or requisition number
  {"geometry": {GeoJSON Polygon}, "crs": "EPSG:26191"}             a drawn or computed outline
  {"coordinates": [[x, y], …] or "x y\\nx y…", "crs": "EPSG:26191"} a surveyor's boundary points
  optional: "agency": "AUT", "mode": "official" | "indicative"
  optional header Idempotency-Key: a retry with the same key and request gets the same note (200,
  Idempotent-Replayed: true), never a second one; the same key with another request is a 409.
Response 201: number, mode, issued_at, signature, key_id (of the signing key), links (html, pdf, verify, json), content.
"""
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from plans.models import IssuedNote
from plans.note import issue
from geoportal.core import ratelimit
from geoportal.core.qr import site_root
from plans.note.render import links
from plans.note.verify import pdf_matches, status

from geoportal.core.body import json_object, parse_json, read_upload
from geoportal.core.errors import MissingParameter, NotFound


def _json(body, status_code=200):
    return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})


def request_fields(request):
    """(fields dict, (filename, bytes) or None) from a JSON or multipart body."""
    if request.content_type == "application/json":
        return json_object(request), None
    data = {key: value for key, value in request.POST.items() if value != ""}
    if isinstance(data.get("geometry"), str):
        data["geometry"] = parse_json(data["geometry"], "geometry", "geometry (GeoJSON)")
    upload = request.FILES.get("file")
    if upload is None:
        return data, None
    return data, (upload.name, read_upload(upload, settings.NOTE_MAX_FILE_BYTES, "NOTE_MAX_FILE_BYTES"))


def uploaded_pdf(request):
    """The PDF sent as `file` to be checked against a note, or None; refused on its size before reading."""
    upload = request.FILES.get("file")
    return None if upload is None else read_upload(upload, settings.NOTE_MAX_PDF_BYTES, "NOTE_MAX_PDF_BYTES")


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
    ratelimit.check_anonymous(request, settings.NOTE_ANONYMOUS_RATE)
    note = issue(data, upload, mode=data.get("mode") or IssuedNote.Mode.OFFICIAL, user=request.user,
                 root=site_root(request), idempotency_key=request.headers.get("Idempotency-Key"))
    response = _json(note_json(note, request), 200 if note.replayed else 201)
    response["Location"] = links(note, request)["json"]
    if note.replayed:
        response["Idempotent-Replayed"] = "true"
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
        pdf = uploaded_pdf(request)
        if pdf is None:
            raise MissingParameter("send the PDF to check as the multipart field 'file'", "file")
        body["pdf_matches"] = pdf_matches(note, pdf)
    return _json(body)
