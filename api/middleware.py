"""Turn typed API errors into OGC exception JSON responses, in one place."""
from django.http import JsonResponse

from .errors import ApiError


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApiError):
            return error_response(exception)
        return None


def error_response(error):
    """The JSON response of an ApiError, with its status."""
    response = JsonResponse(error.as_json(), status=error.status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/json; charset=utf-8"
    return response
