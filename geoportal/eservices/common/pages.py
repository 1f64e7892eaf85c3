"""Rendering public pages in the visitor's language, and showing a typed error inside the page that caused it."""
from django.shortcuts import render

from geoportal.core.errors import ApiError

from .i18n import page_context


def render_page(request, template, labels, status=200, **extra):
    return render(request, template, page_context(request, labels, **extra), status=status)


def form_or_error(request, template, labels, action, **extra):
    """Run `action()`; on a typed error, show the same form again with the error and the error's HTTP status.

    The visitor's input is given back to the template as `form` (unless `extra` gives it) so nothing typed is
    lost.
    """
    try:
        return action()
    except ApiError as error:
        extra.setdefault("form", request.POST)
        return render_page(request, template, labels, status=error.status, error=error.description, **extra)
