"""Zone rules of the sample plans, as a règlement d'aménagement would state them.

Values are those commonly found in Moroccan plans d'aménagement (heights in
metres, COS and CES as ratios, lots in m², setbacks in metres).
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RuleSpec:
    code: str
    label_fr: str
    label_ar: str
    allowed: tuple
    forbidden: tuple
    height: float | None
    floors: int | None
    cos: float | None
    ces: float | None
    min_lot: int | None
    frontage: float | None
    setbacks: tuple  # road, side, rear (m)
    parking_fr: str = ""
    parking_ar: str = ""
    notes_fr: str = ""
    notes_ar: str = ""
    extra: dict = field(default_factory=dict)


HOUSING = ("habitation", "commerce", "bureaux", "equipements")
RULES = {
    spec.code: spec
    for spec in [
        RuleSpec("I", "Immeubles collectifs R+5", "عمارات سكنية سفلي + 5", HOUSING, ("industrie", "nuisances"),
                 21.0, 5, 4.2, 0.70, 400, 20, (0, 0, 6), "1 place par logement", "مكان واحد لكل مسكن",
                 "Commerces autorisés au rez-de-chaussée sur les voies de 20 m et plus.",
                 "يسمح بالمحلات التجارية في الطابق الأرضي على الطرق التي يبلغ عرضها 20 مترا فأكثر."),
        RuleSpec("B2", "Habitat continu R+4", "سكن متصل سفلي + 4", HOUSING, ("industrie", "nuisances"),
                 17.5, 4, 3.5, 0.75, 150, 10, (0, 0, 5), "1 place pour 2 logements", "مكان لكل مسكنين"),
        RuleSpec("B3", "Habitat continu R+3", "سكن متصل سفلي + 3", HOUSING, ("industrie", "nuisances"),
                 14.5, 3, 2.8, 0.75, 120, 8, (0, 0, 4), "1 place pour 2 logements", "مكان لكل مسكنين"),
        RuleSpec("B4", "Habitat continu R+2", "سكن متصل سفلي + 2", ("habitation", "commerce", "artisanat"),
                 ("industrie", "nuisances", "entrepots"), 11.5, 2, 2.4, 0.80, 80, 7, (0, 0, 3)),
        RuleSpec("HE", "Habitat économique R+3", "سكن اقتصادي سفلي + 3", ("habitation", "commerce"),
                 ("industrie", "nuisances"), 13.5, 3, 3.0, 0.80, 80, 8, (0, 0, 3)),
        RuleSpec("D1", "Villas isolées R+1", "فيلات منفصلة سفلي + 1", ("habitation",),
                 ("commerce", "industrie", "nuisances", "entrepots"), 8.5, 1, 0.6, 0.30, 500, 18, (5, 4, 4),
                 "2 places par villa", "مكانان لكل فيلا", "Clôtures sur rue : 1,00 m maçonné et 1,20 m ajouré.",
                 "الأسوار المطلة على الطريق: 1,00 م من البناء و1,20 م مفتوحة."),
        RuleSpec("D2", "Villas jumelées R+1", "فيلات مزدوجة سفلي + 1", ("habitation",),
                 ("commerce", "industrie", "nuisances"), 8.5, 1, 0.8, 0.40, 300, 14, (4, 3, 4),
                 "2 places par villa", "مكانان لكل فيلا"),
        RuleSpec("ZI", "Zone industrielle", "منطقة صناعية", ("industrie", "entrepots", "bureaux", "artisanat"),
                 ("habitation",), 12.0, None, 1.2, 0.60, 1000, 25, (10, 5, 5),
                 "1 place pour 100 m² de plancher", "مكان لكل 100 م² من المساحة المغطاة",
                 "Logement de gardiennage seul admis.", "لا يسمح إلا بسكن الحراسة."),
        RuleSpec("ZT", "Zone touristique", "منطقة سياحية", ("hotellerie", "commerce", "espaces_verts"),
                 ("industrie", "lotissement"), 11.5, 2, 0.6, 0.30, 5000, 40, (10, 8, 8)),
        RuleSpec("EV", "Espace vert public", "مساحة خضراء عمومية", ("espaces_verts",),
                 ("habitation", "commerce", "industrie", "bureaux"), 4.0, 0, 0.02, 0.02, None, None, (0, 0, 0),
                 notes_fr="Toute construction est interdite, sauf kiosques et équipements de loisirs.",
                 notes_ar="يمنع كل بناء باستثناء الأكشاك وتجهيزات الترفيه."),
        RuleSpec("RA", "Zone agricole", "منطقة فلاحية", ("agriculture", "habitation"),
                 ("industrie", "lotissement", "commerce"), 8.5, 1, 0.02, 0.01, 20000, 50, (10, 10, 10)),
        RuleSpec("ZR", "Zone de restructuration", "منطقة إعادة الهيكلة", ("habitation", "commerce"),
                 ("industrie", "nuisances"), 11.5, 2, 2.0, 0.80, 60, 6, (0, 0, 0)),
    ]
}

_USE_FR = {"habitation": "l'habitation", "commerce": "le commerce", "bureaux": "les bureaux",
           "equipements": "les équipements publics", "industrie": "l'industrie", "nuisances":
           "les activités nuisantes", "entrepots": "les entrepôts", "artisanat": "l'artisanat",
           "hotellerie": "l'hôtellerie", "espaces_verts": "les espaces verts", "agriculture": "l'agriculture",
           "lotissement": "les lotissements"}
_USE_AR = {"habitation": "السكن", "commerce": "التجارة", "bureaux": "المكاتب", "equipements": "التجهيزات العمومية",
           "industrie": "الصناعة", "nuisances": "الأنشطة المضرة", "entrepots": "المستودعات",
           "artisanat": "الصناعة التقليدية", "hotellerie": "الفندقة", "espaces_verts": "المساحات الخضراء",
           "agriculture": "الفلاحة", "lotissement": "التجزئات"}


def _num(value):
    return f"{value:.2f}".replace(".", ",")


def article_text(spec, article_number):
    """The French and Arabic text of the article governing `spec`, numbered `article_number`."""
    road, side, rear = spec.setbacks
    fr = [f"Article {article_number} — Zone {spec.code} : {spec.label_fr}.",
          "Sont autorisés : " + ", ".join(_USE_FR[u] for u in spec.allowed) + ".",
          "Sont interdits : " + ", ".join(_USE_FR[u] for u in spec.forbidden) + "."]
    ar = [f"المادة {article_number} — المنطقة {spec.code}: {spec.label_ar}.",
          "يسمح بـ: " + "، ".join(_USE_AR[u] for u in spec.allowed) + ".",
          "يمنع: " + "، ".join(_USE_AR[u] for u in spec.forbidden) + "."]
    if spec.height is not None:
        floors_fr = f" (R+{spec.floors})" if spec.floors is not None else ""
        floors_ar = f" (سفلي + {spec.floors})" if spec.floors is not None else ""
        fr.append(f"Hauteur maximale : {_num(spec.height)} m{floors_fr}.")
        ar.append(f"العلو الأقصى: {_num(spec.height)} م{floors_ar}.")
    if spec.cos is not None:
        fr.append(f"COS : {_num(spec.cos)} ; CES : {_num(spec.ces)}.")
        ar.append(f"معامل استغلال الأرض: {_num(spec.cos)}؛ معامل الاستيلاء على الأرض: {_num(spec.ces)}.")
    if spec.min_lot:
        fr.append(f"Superficie minimale du lot : {spec.min_lot} m² ; façade minimale : {_num(spec.frontage)} m.")
        ar.append(f"المساحة الدنيا للبقعة: {spec.min_lot} م²؛ الواجهة الدنيا: {_num(spec.frontage)} م.")
    fr.append(f"Reculs : {_num(road)} m sur voie, {_num(side)} m sur limites séparatives, {_num(rear)} m en fond de lot.")
    ar.append(f"التراجعات: {_num(road)} م عن الطريق، {_num(side)} م عن الحدود الجانبية، {_num(rear)} م عن عمق البقعة.")
    if spec.notes_fr:
        fr.append(spec.notes_fr)
        ar.append(spec.notes_ar)
    return "\n".join(fr), "\n".join(ar)
