"""Finding the objects a request names, for a user allowed to see them (typed 4xx errors otherwise)."""

from django.middleware.csrf import CsrfViewMiddleware

from geoportal.core.body import parameters
from geoportal.core.errors import Forbidden, InvalidParameter, NotFound
from plans.models import PlanAttachment, PlanDocument
from plans.selectors import agency_by_code, known_agency_codes

from layers.serving import sheets
from layers.records import LayerUpload
from geoportal.staff.roles import VIEWER, require


def user_of(request):
    """The user asking (a token's, set by layers.publishing.tokens, or the session's); session requests that change
    something must carry the CSRF token."""
    user = request.user
    if "Authorization" not in request.headers and request.method not in ("GET", "HEAD", "OPTIONS"):
        refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if refused is not None:
            raise Forbidden("CSRF check failed: send the form's csrfmiddlewaretoken, or use an API token")
    return user


def params(request):
    """The request's parameters: a JSON body, or form fields."""
    return parameters(request)


def agency(code, user, role=VIEWER):
    found = agency_by_code(code)
    if found is None:
        codes = known_agency_codes()
        raise NotFound(f"no agency with code {code!r}; codes: {codes}", "agency")
    require(user, found, role)
    return found


def plan(plan_id, user, role=VIEWER):
    found = PlanDocument.objects.select_related("agency").filter(pk=_int(plan_id, "plan")).first()
    if found is None:
        raise NotFound(f"no plan document {plan_id}", "plan")
    require(user, found.agency, role)
    return found


def upload(upload_id, user, role=VIEWER):
    found = LayerUpload.objects.select_related("agency", "plan").filter(pk=_int(upload_id, "upload")).first()
    if found is None:
        raise NotFound(f"no upload {upload_id}", "upload")
    require(user, found.agency, role)
    return found


def sheets_of(plan_id, user):
    """A plan whose scanned sheets `user` may see: any plan in effect, else only for its agency's staff
    (even when it has no sheet yet: the answer does not say which drafts exist)."""
    found = PlanDocument.objects.select_related("agency").filter(pk=_int(plan_id, "plan")).first()
    if found is None:
        raise NotFound(f"no plan document {plan_id}", "plan")
    _sheets_visible(found, user)
    return found


def _sheets_visible(plan, user):
    if not sheets.is_public(plan):
        require(user, plan.agency, VIEWER)


def sheet(attachment_id, user):
    """A scanned sheet: public when its plan is legally published, else for the agency's staff only."""
    found = PlanAttachment.objects.select_related("plan__agency").filter(
        pk=attachment_id, kind=PlanAttachment.Kind.SHEET).first()
    if found is None:
        raise NotFound(f"no scanned sheet {attachment_id}", "sheet")
    _sheets_visible(found.plan, user)
    return found


def _int(value, name):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidParameter(f"{name} {value!r} is not a number", name) from None
