"""French and Arabic on public pages: the language chosen by ?lang=, else the request's, else French.

Labels are small per-app dictionaries ({"fr": {...}, "ar": {...}}) rather than
gettext catalogues, so that a page's two languages sit side by side in review.
"""
from geoportal.core.language import request_language

COMMON = {
    "fr": {"site": "Services en ligne des agences urbaines", "other": "العربية", "home": "Accueil des services",
           "complaints": "Réclamations", "permits": "Dossiers d'autorisation", "documents": "Documents",
           "fees": "Prestations et paiements", "error": "Erreur"},
    "ar": {"site": "الخدمات الإلكترونية للوكالات الحضرية", "other": "Français", "home": "الخدمات",
           "complaints": "الشكايات", "permits": "ملفات الرخص", "documents": "الوثائق",
           "fees": "الخدمات المؤدى عنها والأداء", "error": "خطأ"},
}


def pick_language(request):
    """The visitor's language (geoportal.core.language, the same choice on every page)."""
    return request_language(request)


def page_context(request, labels, **extra):
    """Template context with `lang`, `dir` (rtl for Arabic), `t` (this page's labels), `c` (common labels)
    and `other_url`, this page in the other language with the same query."""
    lang = pick_language(request)
    other = "ar" if lang == "fr" else "fr"
    query = request.GET.copy()
    query["lang"] = other
    return {"lang": lang, "dir": "rtl" if lang == "ar" else "ltr", "other_lang": other,
            "other_url": f"{request.path}?{query.urlencode()}", "t": labels[lang], "c": COMMON[lang], **extra}


def localized(obj, field, lang):
    """obj.<field>_ar for Arabic when filled, else obj.<field>_fr."""
    value = getattr(obj, f"{field}_{lang}", "") if lang == "ar" else ""
    return value or getattr(obj, f"{field}_fr", "")
