"""The e-services home page: one entry per service, in French or Arabic."""
from .i18n import COMMON
from .pages import render_page

LABELS = {lang: {"title": COMMON[lang]["site"]} for lang in COMMON}


def home(request):
    return render_page(request, "eservices/home.html", LABELS)
