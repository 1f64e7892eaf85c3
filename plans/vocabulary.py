"""The one source of the plans' words and colours, in French (the codes stored) and Arabic (shown to citizens).

Uses of land, servitude kinds (one French and one Arabic name each: the note, the web map's panel and the
print map all read them here), and zone families (a colour and a label per family of zone codes: the web map
and its legend, the folium embeds and the print map of notes and extracts all draw with them). Patterns are
written so that Python's re and JavaScript's RegExp read them the same way.
"""
import re
from dataclasses import asdict, dataclass

# Uses of land named in a règlement d'aménagement; keys are what we store.
LAND_USES = {
    "habitation": ("Habitation", "السكن"),
    "commerce": ("Commerce", "التجارة"),
    "bureaux": ("Bureaux", "المكاتب"),
    "artisanat": ("Artisanat", "الصناعة التقليدية"),
    "industrie": ("Industrie", "الصناعة"),
    "entrepots": ("Entrepôts", "المستودعات"),
    "hotellerie": ("Hôtellerie et tourisme", "الفندقة والسياحة"),
    "equipements": ("Équipements publics", "التجهيزات العمومية"),
    "agriculture": ("Agriculture", "الفلاحة"),
    "espaces_verts": ("Espaces verts et loisirs", "المساحات الخضراء والترفيه"),
    "stations_service": ("Stations-service", "محطات الوقود"),
    "nuisances": ("Activités nuisantes ou polluantes", "الأنشطة المضرة أو الملوثة"),
    "lotissement": ("Lotissements", "التجزئات"),
}


def use_labels(keys, lang="fr"):
    """Labels of use `keys` in `lang` ("fr" or "ar"); an unknown key is shown as is."""
    index = 0 if lang == "fr" else 1
    return [LAND_USES.get(key, (key, key))[index] for key in keys]


def use_choices():
    return [(key, labels[0]) for key, labels in LAND_USES.items()]


# What a provision of a règlement constrains (plans.models.Provision.subject): French and Arabic names, the
# unit its value is given in, whether the value is a ceiling ("max") or a floor ("min"), and the accepted range.
@dataclass(frozen=True)
class ProvisionSubject:
    key: str
    label_fr: str
    label_ar: str
    unit: str  # one of PROVISION_UNITS
    bound: str  # "max", "min", or "" (text and lists of uses)
    low: float = 0.0
    high: float = 0.0


PROVISION_UNITS = {
    "m": ("m", "م"),
    "m2": ("m²", "م²"),
    "ratio": ("", ""),
    "floors": ("niveaux", "طوابق"),
    "text": ("", ""),
    "uses": ("", ""),
}
PROVISION_SUBJECTS = {s.key: s for s in (
    ProvisionSubject("max_height", "Hauteur maximale", "العلو الأقصى", "m", "max", 0, 300),
    ProvisionSubject("max_floors", "Niveaux au-dessus du rez-de-chaussée (R+n)", "عدد الطوابق فوق السفلي", "floors",
                     "max", 0, 60),
    ProvisionSubject("cos", "COS (surface de plancher / surface du lot)", "معامل استغلال الأرض", "ratio", "max", 0, 20),
    ProvisionSubject("ces", "CES (emprise au sol / surface du lot)", "معامل الاستيلاء على الأرض", "ratio", "max", 0, 1),
    ProvisionSubject("setback_road", "Recul sur l'alignement", "التراجع عن التصفيف", "m", "min", 0, 100),
    ProvisionSubject("setback_side", "Recul sur les limites séparatives", "التراجع عن الحدود الجانبية", "m", "min",
                     0, 100),
    ProvisionSubject("setback_rear", "Recul en fond de lot", "التراجع عن عمق البقعة", "m", "min", 0, 100),
    ProvisionSubject("depth_band", "Bande constructible (profondeur depuis l'alignement)", "شريط البناء (العمق من التصفيف)",
                     "m", "max", 1, 500),
    ProvisionSubject("height_beyond_band", "Hauteur au-delà de la bande constructible", "العلو خارج شريط البناء",
                     "m", "max", 0, 300),
    ProvisionSubject("upper_retreat", "Retrait des étages supérieurs", "تراجع الطوابق العليا", "m", "min", 0, 50),
    ProvisionSubject("min_lot_area", "Superficie minimale du lot", "المساحة الدنيا للبقعة", "m2", "min", 0, 1_000_000),
    ProvisionSubject("min_frontage", "Façade minimale", "الواجهة الدنيا", "m", "min", 0, 1000),
    ProvisionSubject("parking", "Stationnement", "مواقف السيارات", "text", ""),
    ProvisionSubject("allowed_uses", "Usages autorisés", "الاستعمالات المسموح بها", "uses", ""),
    ProvisionSubject("forbidden_uses", "Usages interdits", "الاستعمالات الممنوعة", "uses", ""),
)}


def provision_subject_choices():
    return [(key, subject.label_fr) for key, subject in PROVISION_SUBJECTS.items()]


def provision_unit_choices():
    return [(key, fr or key) for key, (fr, _ar) in PROVISION_UNITS.items()]


# Servitude kinds: the stored key, the French name (the model's choices) and the Arabic one.
SERVITUDE_KINDS = {
    "road": ("Voie existante", "طريق موجودة"),
    "planned_road": ("Voie projetée", "طريق مبرمجة"),
    "road_widening": ("Élargissement de voie", "توسيع طريق"),
    "equipment": ("Réservation d'équipement public", "تخصيص لتجهيز عمومي"),
    "green_space": ("Espace vert", "مساحة خضراء"),
    "non_aedificandi": ("Zone non aedificandi", "منطقة يمنع فيها البناء"),
    "heritage": ("Périmètre patrimonial", "محيط تراثي"),
    "flood_zone": ("Zone inondable / oued", "منطقة قابلة للفيضان / واد"),
    "power_line": ("Couloir de ligne haute tension", "ممر خط الضغط العالي"),
    "railway": ("Servitude ferroviaire", "ارتفاق السكة الحديدية"),
    "cemetery": ("Cimetière", "مقبرة"),
    "maritime": ("Domaine public maritime", "الملك العمومي البحري"),
    "other": ("Autre servitude", "ارتفاق آخر"),
}


def servitude_kind_label(kind, lang="fr"):
    """The name of servitude `kind` in `lang` ("fr" or "ar"); an unknown kind is named as "other"."""
    fr, ar = SERVITUDE_KINDS.get(kind, SERVITUDE_KINDS["other"])
    return ar if lang == "ar" else fr


def servitude_kind_labels(lang="fr"):
    """{kind: name} of every servitude kind in `lang`."""
    return {kind: servitude_kind_label(kind, lang) for kind in SERVITUDE_KINDS}


@dataclass(frozen=True)
class ZoneFamily:
    key: str
    label_fr: str
    label_ar: str
    colour: str
    pattern: str  # matched against the zone code, case-sensitive, as on the plan


# Order matters: the first family whose pattern matches a code wins.
ZONE_FAMILIES = (
    ZoneFamily("dense", "Habitat continu et immeubles", "سكن متصل وعمارات", "#e07b39", r"^(I|B\d*|R\+\d+)$"),
    ZoneFamily("economic", "Habitat économique", "سكن اقتصادي", "#f2c14e", r"^(HE|E)\d*$"),
    ZoneFamily("villa", "Villas", "فيلات", "#f5deb3", r"^(D|V)\d*$"),
    ZoneFamily("industry", "Industrie et activités", "صناعة وأنشطة", "#9a6fc0", r"^(ZI|ZAE)\d*$"),
    ZoneFamily("tourism", "Tourisme", "سياحة", "#d9639b", r"^(ZT|T)\d*$"),
    ZoneFamily("rural", "Rural et agricole", "قروي وفلاحي", "#c5d98f", r"^(RA|RB|NA)\d*$"),
    ZoneFamily("green", "Espaces verts", "مساحات خضراء", "#4f9d4f", r"^EV\d*$"),
    ZoneFamily("restructuring", "Restructuration", "إعادة الهيكلة", "#a9a29a", r"^ZR\d*$"),
    ZoneFamily("other", "Autres zones", "مناطق أخرى", "#d4d4d4", r"."),
)
_COMPILED = [(family, re.compile(family.pattern)) for family in ZONE_FAMILIES]

SERVITUDE_COLOURS = {
    "road": "#8c8c8c",
    "planned_road": "#d7301f",
    "road_widening": "#fc8d59",
    "equipment": "#2b6cb0",
    "green_space": "#4f9d4f",
    "non_aedificandi": "#b2182b",
    "heritage": "#8c510a",
    "flood_zone": "#2c7fb8",
    "power_line": "#e6ab02",
    "railway": "#4d4d4d",
    "cemetery": "#66666e",
    "maritime": "#3690c0",
    "other": "#7570b3",
}
# A draft under public inquiry, wherever it is shown (OGC properties and HTML, map legend, printed maps): it is
# public for consultation and binds nobody. Layers migration 0006 writes these words into the inquiry views.
DRAFT_NOTICE_FR = "Projet soumis à enquête publique — sans valeur juridique"
DRAFT_NOTICE_AR = "مشروع معروض على البحث العمومي — بدون قوة قانونية"
DRAFT_COLOUR = "#b0177a"
# The draft's layers on the web map, named in both languages (the OGC collections zones-inquiry, servitudes-inquiry).
DRAFT_LAYER_LABELS = {
    "zones-inquiry": ("Projet en enquête publique : zones", "المشروع قيد البحث العمومي : المناطق"),
    "servitudes-inquiry": ("Projet en enquête publique : servitudes, voirie, réservations",
                           "المشروع قيد البحث العمومي : الارتفاقات والطرق والتخصيصات"),
    "changes-inquiry": ("Projet en enquête publique : ce qui change", "المشروع قيد البحث العمومي : ما يتغير"),
    "observations": ("Enquête publique : observations publiées", "البحث العمومي : الملاحظات المنشورة"),
}
# The words of "what the draft changes here" (the web map's panel), French and Arabic.
INQUIRY_WORDS = {
    "title": ("Ce que change le projet en enquête publique", "ما يغيره المشروع قيد البحث العمومي"),
    "inquiry": ("Enquête publique du", "البحث العمومي من"),
    "until": ("au", "إلى"),
    "zones": ("Zonage", "التنطيق"),
    "rules": ("Règles", "الضوابط"),
    "servitudes": ("Servitudes, voirie et réservations", "الارتفاقات والطرق والتخصيصات"),
    "before": ("en vigueur", "الساري"),
    "after": ("projet", "المشروع"),
    "nothing": ("Le projet ne change rien sur cette parcelle.", "لا يغير المشروع شيئا في هذه القطعة."),
    "land_taken": ("emprise", "المساحة المقتطعة"),
    # A published observation clicked on the map, and co-signing it.
    "article": ("Article du règlement", "مادة النظام"),
    "cosign": ("Co-signer", "المشاركة في التوقيع"),
    "cosign_hint": ("Vous partagez cette observation ? Co-signez-la. Nom et e-mail facultatifs (l'e-mail sert à "
                    "recevoir la réponse ; ils ne sont jamais publiés).",
                    "هل تشاركون هذه الملاحظة؟ شاركوا في توقيعها. الاسم والبريد الإلكتروني اختياريان (يستعمل البريد "
                    "لتلقي الرد ولا ينشران أبدا)."),
    "cosigned": ("Merci : votre co-signature est enregistrée.", "شكرا : تم تسجيل مشاركتكم في التوقيع."),
    "what_applies": ("Ce qui s'applique ici", "ما يطبق هنا"),
    "observation": ("Observation", "الملاحظة"),
    "loading": ("Chargement…", "جار التحميل…"),
    "status": ("État", "الحالة"),
    "text": ("Texte", "النص"),
    "answer": ("Réponse motivée", "الرد المعلل"),
    "cosigners": ("Cosignataires", "الموقعون المشاركون"),
    # Filing an observation from the map panel (frontend/static/frontend/panel-observe.js).
    "observe_open": ("Déposer une observation", "إبداء ملاحظة"),
    "observe_intro": ("Votre observation est versée au registre de l'enquête publique. Elle n'est publiée qu'après "
                      "modération, sans votre nom ni votre adresse.",
                      "تضاف ملاحظتكم إلى سجل البحث العمومي، ولا تنشر إلا بعد المراقبة، دون اسمكم أو عنوانكم."),
    "observe_place": ("Où", "المكان"),
    "observe_place_parcel": ("Cette parcelle", "هذه القطعة"),
    "observe_place_point": ("Le point cliqué", "النقطة المختارة"),
    "observe_place_area": ("La surface dessinée (outil ▢)", "المساحة المرسومة (أداة ▢)"),
    "observe_no_area": ("Dessinez d'abord une surface avec l'outil ▢ de la carte.",
                        "ارسموا أولا مساحة بأداة ▢ في الخريطة."),
    "observe_theme": ("Thème", "الموضوع"),
    "observe_article": ("Article du règlement (facultatif)", "مادة من النظام (اختياري)"),
    "observe_text": ("Votre observation", "ملاحظتكم"),
    "observe_name": ("Nom (facultatif)", "الاسم (اختياري)"),
    "observe_email": ("E-mail (facultatif, pour recevoir la réponse)", "البريد الإلكتروني (اختياري، لتلقي الرد)"),
    "observe_files": ("Pièces jointes (PDF, images)", "مرفقات (PDF، صور)"),
    "observe_send": ("Envoyer l'observation", "إرسال الملاحظة"),
    "observe_sending": ("Envoi…", "جار الإرسال…"),
    "observe_received": ("Observation enregistrée sous le numéro", "سجلت الملاحظة تحت رقم"),
    "observe_link": ("Votre lien de suivi", "رابط التتبع الخاص بكم"),
    "observe_keep": ("Gardez ce lien : il ne sera plus affiché. Il permet de suivre votre observation et sa réponse.",
                     "احتفظوا بهذا الرابط: لن يعرض مرة أخرى، وبه تتبعون ملاحظتكم والرد عليها."),
    # The agency staff's page of their inquiries (/staff/inquiries/, plans/inquiry/static/inquiry/staff.js).
    "staff_title": ("Enquêtes publiques de l'agence", "البحوث العمومية للوكالة"),
    "staff_none": ("Aucune enquête publique dans vos agences.", "لا يوجد أي بحث عمومي في وكالاتكم."),
    "state_upcoming": ("à venir", "مقبل"),
    "state_open": ("ouverte", "مفتوح"),
    "state_closed": ("close", "مغلق"),
    "observations": ("Observations", "الملاحظات"),
    "total": ("Total", "المجموع"),
    "by_commune": ("Par commune", "حسب الجماعة"),
    "by_theme": ("Par thème", "حسب الموضوع"),
    "exports": ("Registre exporté", "السجل المصدر"),
    "no_export": ("Pas encore d'export du registre.", "لم يصدر السجل بعد."),
    "export_now": ("Exporter le registre (PDF signé, CSV, GeoPackage)", "تصدير السجل (PDF موقع، CSV، GeoPackage)"),
    "paper_file": ("Dossier papier consultable à", "يمكن الاطلاع على الملف الورقي في"),
    "open_title": ("Ouvrir ou redater l'enquête", "فتح البحث أو تغيير تواريخه"),
    "start": ("Du", "من"),
    "end": ("Au", "إلى"),
    "communes": ("Communes", "الجماعات"),
    "paper_fr": ("Dossier papier (français)", "الملف الورقي (بالفرنسية)"),
    "paper_ar": ("Dossier papier (arabe)", "الملف الورقي (بالعربية)"),
    "open_send": ("Ouvrir l'enquête", "فتح البحث"),
    "close_send": ("Clore l'enquête aujourd'hui", "إغلاق البحث اليوم"),
    "draft_zones": ("Zonage du projet", "تنطيق المشروع"),
    "status_received": ("Reçue (à modérer)", "متوصل بها (في انتظار المراقبة)"),
    "status_published": ("Publiée", "منشورة"),
    "status_rejected": ("Non publiée", "غير منشورة"),
}

# The observations on the staff map, by their status (plans.inquiry.models.ObservationStatus values).
OBSERVATION_STATUS_COLOURS = {"received": "#f39c12", "published": "#1a9850", "rejected": "#7f7f7f"}


# The themes of an inquiry's observations (plans.inquiry.models.Theme takes its values and French labels here).
OBSERVATION_THEMES = {
    "zonage": ("Zonage", "التنطيق"),
    "voirie": ("Voirie et alignements", "الطرق والتصفيفات"),
    "equipements": ("Équipements et réservations", "التجهيزات والتخصيصات"),
    "reglement": ("Règlement (hauteurs, COS, reculs…)", "النظام (العلو، معامل الاستغلال، التراجعات…)"),
    "servitudes": ("Servitudes et risques", "الارتفاقات والمخاطر"),
    "patrimoine": ("Patrimoine et paysage", "التراث والمنظر"),
    "autre": ("Autre", "أخرى"),
}


def observation_themes(lang="fr"):
    """[{value, label}] of OBSERVATION_THEMES in `lang`, in their order (the map's observation form)."""
    return [{"value": value, "label": pair[1 if lang == "ar" else 0]} for value, pair in OBSERVATION_THEMES.items()]


def inquiry_words(lang="fr"):
    """INQUIRY_WORDS in `lang` ("fr" or "ar")."""
    return {key: pair[1 if lang == "ar" else 0] for key, pair in INQUIRY_WORDS.items()}


# What a draft does to the plan in force, in the "changes" layer and the panel: a colour and words per change.
CHANGE_KINDS = {
    "added": ("#1a9850", "Ajouté par le projet", "يضيفه المشروع"),
    "removed": ("#d73027", "Supprimé par le projet", "يحذفه المشروع"),
    "changed": ("#f39c12", "Modifié par le projet", "يعدله المشروع"),
}
PARCEL_COLOUR = "#333333"
PERIMETER_COLOUR = "#1a1a6e"
SELECTION_COLOUR = "#00b3ff"
# The buildable footprint of a lot (plans.reglement): print map, web map panel, 3D view.
FOOTPRINT_COLOUR = "#c2185b"


def zone_family(code):
    """The ZoneFamily of a zone code ("B3" → dense housing, "EV" → green space)."""
    for family, pattern in _COMPILED:
        if pattern.search(code or ""):
            return family
    return ZONE_FAMILIES[-1]


def zone_colour(code):
    return zone_family(code).colour


def servitude_colour(kind):
    return SERVITUDE_COLOURS.get(kind, SERVITUDE_COLOURS["other"])


def draft_notice(lang="fr"):
    """The words marking a draft under public inquiry as not binding, in `lang` ("fr" or "ar")."""
    return DRAFT_NOTICE_AR if lang == "ar" else DRAFT_NOTICE_FR


def as_config():
    """The styles as JSON-ready data for the browser map."""
    return {
        "zoneFamilies": [asdict(family) for family in ZONE_FAMILIES],
        "servitudeColours": SERVITUDE_COLOURS,
        "parcel": PARCEL_COLOUR,
        "perimeter": PERIMETER_COLOUR,
        "selection": SELECTION_COLOUR,
        "footprint": FOOTPRINT_COLOUR,
        "draft": DRAFT_COLOUR,
        "draftNotice": {"fr": DRAFT_NOTICE_FR, "ar": DRAFT_NOTICE_AR},
        "changes": {key: {"colour": colour, "label_fr": fr, "label_ar": ar}
                    for key, (colour, fr, ar) in CHANGE_KINDS.items()},
    }
