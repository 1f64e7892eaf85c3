"""Pages of the urbanism information note: the request form, the note, its PDF, its verification."""
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from geoportal.core.errors import ApiError
from .api import get_note, request_fields, uploaded_pdf
from .envelope import scene_json
from plans.models import IssuedNote
from plans.note import issue
from geoportal.core import ratelimit
from geoportal.core.qr import site_root
from plans.note.render import context, finalise
from plans.note.verify import pdf_matches, status


@require_http_methods(["GET", "POST"])
def note_form(request):
    """The request form: land title, typed coordinates, an uploaded file or an outline drawn on the map."""
    if request.method == "GET":
        # The web map's "urbanism note" button links here with ?title=<land title>.
        values = {"title_number": request.GET.get("title", "")}
        return render(request, "note/form.html", {"values": values, "base_map_url": settings.BASE_MAP_URL,
                                                          "fees_enabled": settings.ESERVICES_FEES_ENABLED})
    try:
        data, upload = request_fields(request)
        ratelimit.check_anonymous(request, settings.NOTE_ANONYMOUS_RATE)
        note = issue(data, upload, mode=data.get("mode") or IssuedNote.Mode.OFFICIAL, user=request.user,
                     root=site_root(request))
    except ApiError as error:
        # A person at a form gets the same message as an API client, beside what they typed.
        return render(request, "note/form.html", {"error": error.description, "values": request.POST,
                                                          "base_map_url": settings.BASE_MAP_URL,
                                                          "fees_enabled": settings.ESERVICES_FEES_ENABLED},
                      status=error.status)
    return redirect("note-page", number=note.number)


def note_page(request, number):
    note = finalise(get_note(number), request)
    return render(request, "note/page.html", context(note, request) | {"scene": scene_json(note)})


def note_pdf(request, number):
    note = finalise(get_note(number), request)
    response = HttpResponse(bytes(note.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="note-{note.number}.pdf"'
    response["X-Content-SHA256"] = note.pdf_sha256
    return response


@csrf_exempt  # anyone holding a PDF may check it; the check writes nothing
@require_http_methods(["GET", "POST"])
def note_verify(request, number):
    """The authentic record of a note, whether it is still current, and the check of an uploaded PDF."""
    note = get_note(number)
    ctx = {**context(note, request), "status": status(note), "checked": None}
    if request.method == "POST" and request.FILES.get("file"):
        try:
            ctx["checked"] = pdf_matches(note, uploaded_pdf(request))
        except ApiError as error:
            return render(request, "note/verify.html", {**ctx, "error": error.description},
                          status=error.status)
    return render(request, "note/verify.html", ctx)



