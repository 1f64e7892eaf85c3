"""The note's warnings in French and Arabic (servitude kinds are named by plans.vocabulary)."""

WARNINGS = {
    "outside_plans": (
        "La parcelle ({area:.2f} m²) est entièrement hors de tout plan d'urbanisme approuvé en vigueur.",
        "القطعة ({area:.2f} م²) خارج كل وثيقة تعمير مصادق عليها وسارية المفعول.",
    ),
    "partly_outside_plans": (
        "{outside:.2f} m² ({share:.1f} %) de la parcelle sont hors de tout plan approuvé en vigueur.",
        "{outside:.2f} م² ({share:.1f} %) من القطعة خارج كل تصميم مصادق عليه وساري المفعول.",
    ),
    "under_revision": (
        "Plan en cours de révision : la version {version} de {plan} est à l'enquête publique "
        "(du {start} au {end}) ; elle n'est pas opposable.",
        "التصميم في طور المراجعة: النسخة {version} من {plan} معروضة على البحث العمومي "
        "(من {start} إلى {end})؛ وهي غير ملزمة.",
    ),
    "expires_soon": (
        "Le plan {plan} v{version} expire le {date} ; vérifiez son renouvellement.",
        "ينتهي مفعول التصميم {plan} النسخة {version} في {date}؛ تحققوا من تجديده.",
    ),
    "plan_expired": (
        "Le plan {plan} v{version} a expiré le {date} et n'a pas été remplacé.",
        "انتهى مفعول التصميم {plan} النسخة {version} في {date} ولم يعوض.",
    ),
    "crosses_communes": (
        "La parcelle s'étend sur plusieurs communes : {names}.",
        "تمتد القطعة على عدة جماعات: {names_ar}.",
    ),
    "crosses_agency": (
        "La parcelle déborde du territoire de l'agence {agency} ({outside:.2f} m² hors territoire) : "
        "adressez-vous aussi à l'agence voisine.",
        "تتجاوز القطعة نفوذ الوكالة {agency} ({outside:.2f} م² خارجه): يرجى الاتصال أيضا بالوكالة المجاورة.",
    ),
    "datum_accuracy": (
        "Coordonnées en EPSG:{srid} (Merchich, zone Sahara) : le passage au WGS 84 utilise la translation "
        "EPSG:1166 (31, 146, 47 m) au-delà de sa zone de validité ; précision attendue de l'ordre de {metres} m "
        "sur les positions GPS (les surfaces et distances en Lambert n'en dépendent pas).",
        "الإحداثيات بـ EPSG:{srid} (مرشيش، منطقة الصحراء): التحويل إلى WGS 84 يستعمل الإزاحة EPSG:1166 "
        "(31، 146، 47 م) خارج مجال صلاحيتها؛ الدقة المتوقعة في حدود {metres} م على مواقع GPS "
        "(المساحات والمسافات بلامبرت لا تتأثر بذلك).",
    ),
}


def warning(code, **values):
    """{"code", "fr", "ar"} of warning `code` with its values filled in."""
    fr, ar = WARNINGS[code]
    return {"code": code, "fr": fr.format(**values), "ar": ar.format(**values)}
