"""The one JSON answer of the inquiry's views: personal or per-visitor content, never stored by a cache."""
from django.http import JsonResponse


def private_json(body, status=200):
    """`body` as UTF-8 JSON (Arabic unescaped), Cache-Control: private, no-store."""
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response
