"""The engine's checks in French and Arabic: what stops or limits building on the lot."""

CHECKS = {
    "wholly_reserved": (
        "error",
        "La parcelle est entièrement prise par des voies projetées, élargissements ou réservations ({taken:.2f} m²) : "
        "aucune construction privée n'y est possible.",
        "القطعة مخصصة بالكامل لطرق مبرمجة أو توسيعات أو تخصيصات ({taken:.2f} م²): لا يمكن أي بناء خاص فيها.",
    ),
    "partly_reserved": (
        "info",
        "{taken:.2f} m² de la parcelle sont pris par des voies projetées, élargissements ou réservations ; les "
        "règles s'appliquent aux {net:.2f} m² restants, les reculs depuis le nouvel alignement.",
        "{taken:.2f} م² من القطعة مخصصة لطرق مبرمجة أو توسيعات أو تخصيصات؛ تطبق القواعد على {net:.2f} م² المتبقية، "
        "والتراجعات انطلاقا من التصفيف الجديد.",
    ),
    "below_min_lot_area": (
        "error",
        "Surface nette {area:.2f} m² inférieure au minimum de {minimum:.0f} m² de la zone {zone} ({article}) : le "
        "lot n'est pas constructible comme lot distinct, sauf clause contraire du règlement.",
        "المساحة الصافية {area:.2f} م² أقل من الحد الأدنى {minimum:.0f} م² في المنطقة {zone} ({article}): البقعة غير "
        "قابلة للبناء كبقعة مستقلة إلا بمقتضى خاص في النظام.",
    ),
    "below_min_frontage": (
        "error",
        "Façade sur voie de {frontage:.2f} m inférieure au minimum de {minimum:.2f} m de la zone {zone} ({article}).",
        "واجهة على الطريق بطول {frontage:.2f} م أقل من الحد الأدنى {minimum:.2f} م في المنطقة {zone} ({article}).",
    ),
    "no_frontage": (
        "warning",
        "La parcelle ne donne sur aucune voie, existante ou projetée : les règles liées à la largeur de voie ne "
        "s'appliquent pas et l'accès doit être justifié.",
        "القطعة لا تطل على أي طريق موجودة أو مبرمجة: لا تطبق القواعد المرتبطة بعرض الطريق ويجب إثبات الولوج.",
    ),
    "nothing_after_setbacks": (
        "error",
        "Après les reculs ({zone}), il ne reste aucune emprise constructible.",
        "بعد التراجعات ({zone})، لا تبقى أي مساحة قابلة للبناء.",
    ),
    "no_rule": (
        "warning",
        "La zone {zone} n'a pas de règlement enregistré : sa partie ({area:.2f} m²) n'est pas évaluée.",
        "المنطقة {zone} ليس لها نظام مسجل: لا يتم تقييم جزئها ({area:.2f} م²).",
    ),
    "formula_error": (
        "warning",
        "Disposition {provision} de la zone {zone} non évaluée : {reason}.",
        "لم يتم تقييم المقتضى {provision} في المنطقة {zone}: {reason}.",
    ),
}


def check(code, **values):
    """{"code", "severity", "fr", "ar", "values"} of check `code` with its values filled in."""
    severity, fr, ar = CHECKS[code]
    return {"code": code, "severity": severity, "fr": fr.format(**values), "ar": ar.format(**values),
            "values": {k: (round(v, 2) if isinstance(v, float) else v) for k, v in values.items()}}
