"""Refuse what no view should ever read, before Django reads the body: too large a body, a NUL byte.

First in settings.MIDDLEWARE (before the OGC fast path). A request body is
refused on its Content-Length — Django reads no more than that header says,
so nothing is spooled to memory or disk before the check. Each upload route
has its own limit (ROUTE_LIMITS: a setting name in bytes, plus room for the
form fields); staff routes give theirs only to a signed-in user or a valid
API token, anonymous clients get REQUEST_MAX_BODY_BYTES like every other
route. While Django streams a multipart body, LimitedUploadHandler stops
each file at the route's per-file limit. A NUL byte (which PostgreSQL text cannot hold) in the path, the query
string or a form field is refused too. Refusals are JSON on /api/ and /ogc/
(geoportal.core.responses.refusal), an HTML page elsewhere.
"""
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve

from geoportal.core.errors import ApiError, InvalidParameter, TooLarge
from geoportal.core.responses import refusal
from layers.publishing.tokens import user_for_header

FORM_ROOM = 64 * 1024  # multipart boundaries, headers and the small fields beside the files
# url name → (setting holding the largest upload in bytes, how many such files, staff only)
ROUTE_LIMITS = {
    "api-notes": ("NOTE_MAX_FILE_BYTES", 1, False),
    "note-form": ("NOTE_MAX_FILE_BYTES", 1, False),
    "api-note-verify": ("NOTE_MAX_PDF_BYTES", 1, False),
    "note-verify": ("NOTE_MAX_PDF_BYTES", 1, False),
    "eservices-api:complaints": ("ESERVICES_MAX_ATTACHMENT_BYTES", "ESERVICES_MAX_ATTACHMENTS", False),
    "eservices:complaint-new": ("ESERVICES_MAX_ATTACHMENT_BYTES", "ESERVICES_MAX_ATTACHMENTS", False),
    "layers-uploads": ("LAYERS_MAX_UPLOAD_BYTES", 1, True),
    "layers-page-dashboard": ("LAYERS_MAX_UPLOAD_BYTES", 1, True),
    "lifecycle-plans": ("PLAN_PERIMETER_MAX_FILE_BYTES", 1, True),
    "lifecycle-perimeter": ("PLAN_PERIMETER_MAX_FILE_BYTES", 1, True),
    "lifecycle-attach": ("ESERVICES_MAX_ATTACHMENT_BYTES", 1, True),
}
ADMIN_PREFIX = "/admin/"


def default_limit():
    return settings.REQUEST_MAX_BODY_BYTES


def _setting(value):
    return value if isinstance(value, int) else int(getattr(settings, value))


ADMIN_ROUTE = ("ADMIN_MAX_UPLOAD_BYTES", 1, True)


def route_body_bytes(route):
    """The largest body a route of ROUTE_LIMITS (or ADMIN_ROUTE) accepts from a signed-in user, in bytes.

    The reverse proxy's per-route client_max_body_size is this number too (geoportal.topology.render).
    """
    size_setting, count, _ = route
    return _setting(size_setting) * _setting(count) + FORM_ROOM


def body_limit(request):
    """(bytes allowed in this request's body, bytes allowed per file, the setting that sets them)."""
    if request.path_info.startswith(ADMIN_PREFIX):
        route = ADMIN_ROUTE
    else:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        route = ROUTE_LIMITS.get(match.view_name) if match else None
    if route is None:
        return default_limit(), default_limit(), "REQUEST_MAX_BODY_BYTES"
    size_setting, _, staff_only = route
    if staff_only and not _signed_in(request):
        return default_limit(), default_limit(), "REQUEST_MAX_BODY_BYTES (sign in or send an API token to upload)"
    return route_body_bytes(route), _setting(size_setting), size_setting


class LimitedUploadHandler(FileUploadHandler):
    """First of the upload handlers: stops a file at its limit while Django streams it, before it is all kept."""

    def __init__(self, limit, setting, request=None):
        super().__init__(request)
        self.limit, self.setting, self.received = limit, setting, 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise TooLarge(f"file {self.file_name!r} is too large: the limit is {self.limit} bytes "
                           f"({self.limit / 2**20:.1f} MiB, {self.setting}); send a smaller file", self.field_name)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the file


def _signed_in(request):
    """Is the request from an active user (session cookie or API token)? Read without touching the body."""
    header = request.headers.get("Authorization", "")
    if header:
        return user_for_header(header) is not None
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    user_id = store.get(SESSION_KEY)
    return user_id is not None and get_user_model().objects.filter(pk=user_id, is_active=True).exists()


def _content_length(request):
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        raise InvalidParameter("the Content-Length header is not a number", "Content-Length") from None


def check(request):
    """Raise the typed error that refuses `request`, or return None."""
    if "\x00" in request.path:
        raise InvalidParameter("the URL path holds a NUL byte (%00); remove it", "path")
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise InvalidParameter(f"query parameter {name.replace(chr(0), '%00')!r} holds a NUL byte (%00); "
                                   "remove it", name.replace("\x00", ""))
    size = _content_length(request)
    if size:
        limit, per_file, why = body_limit(request)
        if size > limit:
            raise TooLarge(f"the request body is {size / 2**20:.1f} MiB; {request.method} {request.path} accepts at "
                           f"most {limit / 2**20:.1f} MiB ({why}): send a smaller file", "body")
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            request.upload_handlers.insert(0, LimitedUploadHandler(per_file, why, request))
            try:
                fields = request.POST
            except (MultiPartParserError, SuspiciousOperation) as exc:
                raise InvalidParameter(f"the form body cannot be read ({exc}); send it as multipart/form-data "
                                       "with one part per field", "body") from None
            for name, values in fields.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    raise InvalidParameter(f"form field {name.replace(chr(0), '%00')!r} holds a NUL byte; remove it",
                                           name.replace("\x00", ""))


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check(request)
        except ApiError as error:
            return refusal(request, error)
        return self.get_response(request)
