"""Words of the plans, in French (the codes stored) and Arabic (shown to citizens)."""

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
