"""Typed API errors, mapped to HTTP statuses in one place (geoportal.core.responses).

Modelled on pygeoapi's exceptions and the OGC API exception JSON
({"code": …, "description": …}): a view raises one of these with a message
that says what is wrong and how to fix it, and never builds its own error
response.
"""


class ApiError(Exception):
    """Base class: `status` is the HTTP status, `code` the OGC exception code."""

    status = 400
    code = "InvalidParameterValue"

    def __init__(self, description, parameter=None):
        super().__init__(description)
        self.description = description
        self.parameter = parameter

    def as_json(self):
        body = {"code": self.code, "description": self.description}
        if self.parameter:
            body["parameter"] = self.parameter
        return body


class InvalidParameter(ApiError):
    """A query parameter or body field has a value we cannot use (400)."""


class MissingParameter(ApiError):
    code = "MissingParameterValue"


class NotFound(ApiError):
    status = 404
    code = "NotFound"


class TooLarge(ApiError):
    """The request asks for more than the configured limits allow (413)."""

    status = 413
    code = "RequestTooLarge"


class Forbidden(ApiError):
    status = 403
    code = "Forbidden"


class Unauthorized(ApiError):
    status = 401
    code = "Unauthorized"


class Conflict(ApiError):
    """The request conflicts with the current state (e.g. publish a failed validation) (409)."""

    status = 409
    code = "Conflict"


class TooManyRequests(ApiError):
    status = 429
    code = "TooManyRequests"


class ServerError(ApiError):
    """The server failed (500); the message says no more than that, the log says why."""

    status = 500
    code = "ServerError"


class ServiceUnavailable(ApiError):
    status = 503
    code = "ServiceUnavailable"


class MethodNotAllowed(ApiError):
    """The resource exists but does not answer this HTTP method (405); `allowed` lists those it answers."""

    status = 405
    code = "MethodNotAllowed"

    def __init__(self, description, allowed=("GET", "HEAD", "OPTIONS")):
        super().__init__(description)
        self.allowed = tuple(allowed)
