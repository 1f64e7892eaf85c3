"""The visitor's language, chosen one way on every page: ?lang= (or a form's lang), else the request's
(LocaleMiddleware: cookie, Accept-Language), else French. Arabic pages read right to left.
"""
from django.conf import settings
from django.utils import translation

SUPPORTED = tuple(code for code, _ in settings.LANGUAGES)  # ("fr", "ar")


def request_language(request, read_body=True):
    """"fr" or "ar" for this request. read_body=False never reads a POST body the view has not parsed (the site
    shell on a refused upload: the body stays unread)."""
    form = request.method == "POST" and (read_body or "_post" in request.__dict__)
    lang = request.GET.get("lang") or (request.POST.get("lang") if form else None) \
        or translation.get_language_from_request(request) or settings.LANGUAGE_CODE
    lang = lang.split("-")[0][:2]
    return lang if lang in SUPPORTED else settings.LANGUAGE_CODE


def direction(lang):
    return "rtl" if lang == "ar" else "ltr"
