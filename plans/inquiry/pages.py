"""The public inquiry's pages: the observation page a receipt's link opens (its secret read from "#")."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

from geoportal.core.language import direction, request_language
from plans.vocabulary import inquiry_words

from . import register


@require_GET
def observation(request, number):
    """/enquete/observations/<number>/#s=<secret>: the page asks the API with the secret in a header."""
    observation = register.numbered(number)
    lang = request_language(request)
    return render(request, "inquiry/observation.html", {
        "number": observation.number, "lang": lang, "dir": direction(lang), "words": inquiry_words(lang)})
