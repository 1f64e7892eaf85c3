"""Agency GIS staff open and close a draft's public inquiry (plans.inquiry.opening): thin JSON views.

POST /api/inquiries/<plan>/open with start, end (ISO dates), communes (codes), paper_file_fr, paper_file_ar
(JSON or form); POST /api/inquiries/<plan>/close. Session (with Django's CSRF check) or API token.
"""
import functools


from geoportal.core.body import parameters
from geoportal.core.errors import MethodNotAllowed

from . import opening
from .responses import private_json as _json




def post_only(view):
    """405 with a JSON message (Django's require_POST answers an empty page)."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            raise MethodNotAllowed(f"{request.method} is not answered here: POST the form (JSON or form fields)",
                                   allowed=("POST",))
        return view(request, *args, **kwargs)
    return wrapped


@post_only
def open_inquiry(request, plan_id):
    data = parameters(request)
    return _json(opening.as_json(opening.open_inquiry(plan_id, request.user, data)))


@post_only
def close_inquiry(request, plan_id):
    parameters(request)  # a hostile body is refused like elsewhere
    return _json(opening.as_json(opening.close_inquiry(plan_id, request.user)))
