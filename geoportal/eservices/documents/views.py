"""Public pages and JSON API of the documents: search, detail with QR code, download."""
from django.db.models import Q
from django.http import FileResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from geoportal.core.errors import InvalidParameter, NotFound
from plans.models import Agency
from ..common.i18n import localized, pick_language
from ..common.lookups import agency_by_code
from ..common.pages import render_page
from geoportal.core.qr import absolute_url, qr_data_uri
from .labels import LABELS
from .models import AgencyDocument, DocumentKind
from .search import search

PAGE_SIZE = 50


def _filtered(request):
    """Documents of the chosen agency (plus national texts) and kind, searched by `q` when given."""
    documents = AgencyDocument.objects.select_related("agency")
    code = request.GET.get("agency")
    if code:
        documents = documents.filter(Q(agency=agency_by_code(code)) | Q(agency__isnull=True))
    kind = request.GET.get("kind")
    if kind:
        if kind not in DocumentKind.values:
            raise InvalidParameter(f"kind={kind!r} is not one of {', '.join(DocumentKind.values)}.", "kind")
        documents = documents.filter(kind=kind)
    text = request.GET.get("q", "").strip()
    if len(text) > 200:
        raise InvalidParameter(f"q has {len(text)} characters; at most 200.", "q")
    return search(text, documents) if text else documents.order_by("-published_on", "title_fr")


def _get(pk):
    document = AgencyDocument.objects.select_related("agency").filter(pk=pk).first()
    if document is None:
        raise NotFound(f"no document {pk}; search the list at /services/documents/.", "id")
    return document


def _json(document, request, lang):
    return {"id": document.pk, "kind": document.kind, "reference": document.reference,
            "title": localized(document, "title", lang), "summary": localized(document, "summary", lang),
            "agency": document.agency.code if document.agency else None,
            "published_on": document.published_on.isoformat(), "size": document.size,
            "url": absolute_url(request, reverse("eservices:document", args=[document.pk])),
            "download": absolute_url(request, reverse("eservices:document-download", args=[document.pk])),
            **({"rank": round(document.rank, 4), "snippet": document.snippet} if hasattr(document, "rank") else {})}


@require_GET
def list_api(request):
    lang = pick_language(request)
    return JsonResponse({"documents": [_json(d, request, lang) for d in _filtered(request)[:PAGE_SIZE]]},
                        json_dumps_params={"ensure_ascii": False})


@require_GET
def detail_api(request, pk):
    return JsonResponse(_json(_get(pk), request, pick_language(request)), json_dumps_params={"ensure_ascii": False})


def list_page(request):
    documents = list(_filtered(request)[:PAGE_SIZE])
    return render_page(request, "eservices/documents/list.html", LABELS, documents=documents,
                       q=request.GET.get("q", ""), agencies=Agency.objects.order_by("code"))


def detail_page(request, pk):
    document = _get(pk)
    link = absolute_url(request, reverse("eservices:document", args=[pk]))
    return render_page(request, "eservices/documents/detail.html", LABELS, document=document, qr=qr_data_uri(link),
                       link=link)


def download(request, pk):
    document = _get(pk)
    name = f"{document.reference or document.title_fr}"[:80].replace("/", "-") + ".pdf"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
