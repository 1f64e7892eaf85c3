"""Public pages and JSON API of permit files and published commission results."""
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from geoportal.core.errors import NotFound
from plans.models import Agency
from ..common.i18n import localized, pick_language
from ..common.lookups import agency_by_code
from ..common.pages import form_or_error, render_page
from . import services
from .labels import LABELS
from .models import CommissionSession


def _agency_or_none(request):
    code = request.GET.get("agency")
    return agency_by_code(code) if code else None


def _published_session(agency_code, reference):
    agency = agency_by_code(agency_code)
    session = CommissionSession.objects.filter(agency=agency, reference=reference,
                                               published_at__isnull=False).first()
    if session is None:
        raise NotFound(f"no published commission session {reference!r} at agency {agency.code}; "
                       "see the list of published sessions.", "reference")
    return session


def _decision_json(decision, lang):
    return {"session": decision.session.reference, "held_on": decision.session.held_on.isoformat(),
            "file": decision.file.number, "decision": decision.decision,
            "reasons": localized(decision, "reasons", lang), "conditions": localized(decision, "conditions", lang)}


def _file_json(file, lang):
    return {"number": file.number, "agency": file.agency.code, "kind": file.kind,
            "commune": file.commune.name_fr if file.commune else None, "filed_on": file.filed_on.isoformat(),
            "status": file.status, "project": localized(file, "project", lang),
            "decisions": [_decision_json(d, lang) for d in services.published_decisions(file)]}


@require_GET
def file_api(request, number):
    return JsonResponse(_file_json(services.find_file(number, _agency_or_none(request)), pick_language(request)),
                        json_dumps_params={"ensure_ascii": False})


@require_GET
def sessions_api(request):
    agency = agency_by_code(request.GET.get("agency"))
    sessions = CommissionSession.objects.filter(agency=agency, published_at__isnull=False)
    return JsonResponse({"agency": agency.code, "sessions": [
        {"reference": s.reference, "kind": s.kind, "held_on": s.held_on.isoformat(),
         "published_at": s.published_at.isoformat()} for s in sessions]})


@require_GET
def session_results_api(request, agency, reference):
    session = _published_session(agency, reference)
    lang = pick_language(request)
    decisions = session.decisions.select_related("file", "session")
    return JsonResponse({"agency": session.agency.code, "reference": session.reference,
                         "held_on": session.held_on.isoformat(),
                         "results": [_decision_json(d, lang) for d in decisions]},
                        json_dumps_params={"ensure_ascii": False})


def file_page(request):
    number = request.GET.get("number", "").strip()
    extra = {"agencies": Agency.objects.order_by("code"), "number": number}
    template = "eservices/permits/file.html"

    def action():
        file = services.find_file(number, _agency_or_none(request))
        return render_page(request, template, LABELS, file=file, decisions=services.published_decisions(file), **extra)

    if not number:
        return render_page(request, template, LABELS, **extra)
    return form_or_error(request, template, LABELS, action, **extra)


def sessions_page(request):
    agency = _agency_or_none(request) or Agency.objects.order_by("code").first()
    sessions = CommissionSession.objects.filter(agency=agency, published_at__isnull=False)
    return render_page(request, "eservices/permits/sessions.html", LABELS, agency=agency, sessions=sessions,
                       agencies=Agency.objects.order_by("code"))


def session_page(request, agency, reference):
    session = _published_session(agency, reference)
    return render_page(request, "eservices/permits/session.html", LABELS, session=session,
                       decisions=session.decisions.select_related("file", "file__commune"))
