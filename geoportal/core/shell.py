"""The site shell: what every page we render shares (header, navigation, language switch, footer).

Templates adopt it with one line, `{% extends "site/base.html" %}` (frontend/templates/site/base.html), and fill
`{% block title %}`, `{% block content %}` (or `{% block main %}` for a full-screen page) and, when needed,
`{% block head %}` / `{% block scripts %}` (static files only: the CSP admits no inline script or style without
the nonce). The context processor `shell` gives every template `shell`: the visitor's language and direction
(geoportal.core.language, the one choice), this page in the other language, the navigation and the shell's words.
pygeoapi's pages (layers/serving/templates) read the same navigation through `shell_for(lang, path)`.

SERVICES is the one list of what the portal offers: the header shows those with `nav=True`, the home page
(frontend/portal) shows all of them with their description.
"""
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.urls import NoReverseMatch, reverse

from .language import direction, request_language


@dataclass(frozen=True)
class Service:
    key: str
    url_name: str  # a Django URL name; a service whose route this deployment lacks is left out
    label_fr: str  # short, in the header
    label_ar: str
    title_fr: str  # on the home page
    title_ar: str
    text_fr: str
    text_ar: str
    nav: bool = False
    query: str = ""  # appended to the URL (an anchor or a query string)

    def label(self, lang):
        return self.label_ar if lang == "ar" else self.label_fr

    def title(self, lang):
        return self.title_ar if lang == "ar" else self.title_fr

    def text(self, lang):
        return self.text_ar if lang == "ar" else self.text_fr


SERVICES = (
    Service("map", "map", "Carte", "الخريطة", "Carte des plans d'aménagement", "خريطة تصاميم التهيئة",
            "Le zonage, les règles, les servitudes et les équipements des plans en vigueur, parcelle par parcelle ; "
            "mesure des distances et des surfaces.",
            "التنطيق والضوابط والارتفاقات والتجهيزات في تصاميم التهيئة السارية، قطعة بقطعة؛ قياس المسافات والمساحات.",
            nav=True),
    Service("note", "note-form", "Note", "المذكرة", "Note de renseignements urbanistiques", "مذكرة المعلومات التعميرية",
            "Ce que le plan permet sur un terrain : par titre foncier, coordonnées, fichier ou tracé sur la carte. "
            "PDF bilingue signé, vérifiable par son code QR.",
            "ما يسمح به التصميم على قطعة أرضية: بالرسم العقاري أو الإحداثيات أو ملف أو رسم على الخريطة. "
            "وثيقة PDF موقعة بلغتين يمكن التحقق منها برمز QR.",
            nav=True),
    Service("extracts", "extract-form", "Extraits", "المستخرجات", "Extraits de plan", "مستخرجات التصميم",
            "Le plan approuvé découpé sur votre parcelle, pour votre logiciel : GeoPackage, Shapefile, DXF, PDF, "
            "GeoTIFF.",
            "التصميم المصادق عليه مقتطعا حسب قطعتكم الأرضية لبرنامجكم: GeoPackage و Shapefile و DXF و PDF و GeoTIFF.",
            nav=True),
    Service("complaints", "eservices:complaint-new", "Réclamations", "الشكايات", "Réclamations et requêtes",
            "الشكايات والطلبات",
            "Déposer une réclamation ou une requête et suivre sa réponse avec son numéro.",
            "إيداع شكاية أو طلب وتتبع الجواب برقمه."),
    Service("permits", "eservices:permit-file", "Dossiers", "الملفات", "Dossiers d'autorisation", "ملفات الرخص",
            "L'état d'un dossier d'autorisation et l'avis de la commission.",
            "وضعية ملف الرخصة ورأي اللجنة."),
    Service("documents", "eservices:documents", "Documents", "الوثائق", "Documents et textes", "الوثائق والنصوص",
            "Rechercher et télécharger les textes et documents de l'agence.",
            "البحث في نصوص ووثائق الوكالة وتحميلها."),
    Service("fees", "eservices:tariffs", "Tarifs", "التعريفات", "Tarifs et paiement", "التعريفات والأداء",
            "Les tarifs en vigueur et le paiement des prestations.",
            "التعريفات السارية وأداء الخدمات."),
    Service("eservices", "eservices:home", "E-services", "الخدمات", "Tous les e-services", "كل الخدمات الإلكترونية",
            "Réclamations, dossiers, commissions, documents et tarifs de votre agence.",
            "الشكايات والملفات واللجان والوثائق والتعريفات الخاصة بوكالتكم.",
            nav=True),
    Service("catalogue", "ogc-collection", "Catalogue", "الفهرس", "Catalogue des plans", "فهرس التصاميم",
            "Tous les plans approuvés, en vigueur ou passés, avec leurs couches et leurs documents.",
            "كل التصاميم المصادق عليها، السارية أو السابقة، مع طبقاتها ووثائقها.",
            nav=True, query="/items?f=html"),
    Service("opendata", "open-data", "Données ouvertes", "البيانات المفتوحة", "Données ouvertes pour les SIG",
            "بيانات مفتوحة لنظم المعلومات الجغرافية",
            "Les adresses OGC API (entités, tuiles vectorielles, catalogue) pour QGIS, ArcGIS, GDAL.",
            "عناوين OGC API (الكيانات، المربعات المتجهة، الفهرس) لـ QGIS و ArcGIS و GDAL.",
            nav=True),
    Service("staff", "layers-page-dashboard", "Espace agents", "فضاء الموظفين", "Espace des agents",
            "فضاء موظفي الوكالات",
            "Connexion du personnel des agences : publication des couches, traitement des requêtes.",
            "دخول موظفي الوكالات: نشر الطبقات ومعالجة الطلبات.",
            nav=True),
)

WORDS = {
    "fr": {"site": "Géoportail des agences urbaines", "home": "Accueil", "menu": "Menu",
           "skip": "Aller au contenu", "other": "العربية", "sign_out": "Déconnexion",
           "footer": "Agences urbaines du Maroc — les plans approuvés font foi ; les pages et la carte informent.",
           "api": "API", "navigation": "Navigation principale"},
    "ar": {"site": "البوابة الجغرافية للوكالات الحضرية", "home": "الرئيسية", "menu": "القائمة",
           "skip": "الانتقال إلى المحتوى", "other": "Français", "sign_out": "تسجيل الخروج",
           "footer": "الوكالات الحضرية بالمغرب — التصاميم المصادق عليها هي المرجع؛ الصفحات والخريطة للإخبار.",
           "api": "API", "navigation": "التصفح الرئيسي"},
}

SERVICE_KEYS = {service.key: service for service in SERVICES}


def service_url(service):
    """The URL of a service, or None when this deployment has no such route."""
    kwargs = {"collection_id": "catalogue"} if service.key == "catalogue" else {}
    try:
        return reverse(service.url_name, kwargs=kwargs) + service.query
    except NoReverseMatch:
        return None


def with_lang(url, lang):
    """`url` with `lang` set in its query (its other parameters kept)."""
    path, _, query = url.partition("?")
    pairs = [(k, v) for k, v in parse_qsl(query) if k != "lang"] + [("lang", lang)]
    return f"{path}?{urlencode(pairs)}"


def _is_current(url, path):
    base = url.partition("?")[0]
    return path == base or (base != "/" and path.startswith(base))


def shell_for(lang, url="/", user=None):
    """The shell's data for one page (`url`: its path and query): a dict, read alike by Django and Jinja2."""
    lang = lang if lang in WORDS else "fr"
    other = "fr" if lang == "ar" else "ar"
    path = url.partition("?")[0]
    nav = [{"key": service.key, "url": with_lang(link, lang), "label": service.label(lang),
            "current": _is_current(link, path)}
           for service in SERVICES if service.nav and (link := service_url(service))]
    return {
        "lang": lang, "dir": direction(lang), "rtl": lang == "ar", "other_lang": other,
        "other_url": with_lang(url, other), "home_url": with_lang("/", lang),
        "nav": nav, "t": WORDS[lang],
        "user": user.get_username() if user is not None and user.is_authenticated else "",
    }


def shell(request):
    """Context processor (settings.TEMPLATES): `shell` for every template rendered with a request."""
    lang = request_language(request, read_body=False)
    return {"shell": shell_for(lang, request.get_full_path(), getattr(request, "user", None))}
