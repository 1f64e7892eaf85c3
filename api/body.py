"""Request parameters from a JSON object body or from form fields, with one error wording."""
import json

from .errors import InvalidParameter


def json_object(request):
    """The request's JSON body as a dict; InvalidParameter (400) naming the problem otherwise."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise InvalidParameter(f"the body is not valid JSON: {exc}", "body") from None
    if not isinstance(body, dict):
        raise InvalidParameter("the JSON body must be an object of parameters, e.g. {\"title_number\": "
                               "\"TF 12345/19\"}", "body")
    return body


def parameters(request, query_on_get=False):
    """A JSON object body, else the form fields (else the query string for GET when `query_on_get`)."""
    if request.content_type == "application/json":
        return json_object(request)
    if query_on_get and request.method != "POST":
        return request.GET
    return request.POST
