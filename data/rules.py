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
    from plans.vocabulary import PROVISION_SUBJECTS

    for row in CONDITIONAL.get(spec.code, []):
        subject = PROVISION_SUBJECTS[row["subject"]]
        fr.append(f"{subject.label_fr} : {row['expression']} ({row['note_fr']}).")
        ar.append(f"{subject.label_ar}: {row['expression']}.")
    if spec.notes_fr:
        fr.append(spec.notes_fr)
        ar.append(spec.notes_ar)
    return "\n".join(fr), "\n".join(ar)


# Conditional provisions of the sample règlement (plans.models.Provision), as Moroccan articles write them; they
# replace the flat value of the same subject. Road widths in metres, floor 0 is the ground floor.
def _p(subject, expression, unit, text_fr, **conditions):
    return {"subject": subject, "expression": expression, "unit": unit, "note_fr": text_fr, **conditions}


CONDITIONAL = {
    # Height and floors by the width of the road the lot fronts (the wider one for a corner lot); shops on the
    # ground floor may cover the whole lot; the rear setback is a prospect rule with a floor.
    "B3": [
        _p("max_height", "11.5", "m", "sur les voies de moins de 15 m", road_width_max=15),
        _p("max_height", "14.5", "m", "sur les voies de 15 m et plus", road_width_min=15),
        _p("max_floors", "2", "floors", "R+2 sur les voies de moins de 15 m", road_width_max=15),
        _p("max_floors", "3", "floors", "R+3 sur les voies de 15 m et plus", road_width_min=15),
        _p("ces", "1", "ratio", "rez-de-chaussée commercial", floor_from=0, floor_to=0),
        _p("ces", "0.75", "ratio", "étages", floor_from=1),
        _p("setback_rear", "max(height / 2, 4)", "m", "H/2 et au moins 4 m"),
    ],
    # Continuous housing built within a 15 m band from the alignment, a 4 m ground floor beyond it; prospect
    # H ≤ L + 2 m; the top floor steps back 2 m from the street façade.
    "B2": [
        _p("max_height", "min(road_width + 2, 17.5)", "m", "H ≤ L + 2 m, au plus 17,50 m"),
        _p("max_floors", "3", "floors", "R+3 sur les voies de moins de 15 m", road_width_max=15),
        _p("max_floors", "4", "floors", "R+4 sur les voies de 15 m et plus", road_width_min=15),
        _p("depth_band", "15", "m", "bande constructible de 15 m depuis l'alignement"),
        _p("height_beyond_band", "4", "m", "au-delà de la bande, rez-de-chaussée de 4 m au plus"),
        _p("upper_retreat", "2", "m", "dernier niveau (R+4) en retrait de 2 m sur la façade", floor_from=4),
    ],
    # Corner villas: side setbacks reduced to 3 m (the second road takes the road setback); the lot minimum
    # is higher on corners.
    "D1": [
        _p("setback_side", "3", "m", "lots d'angle", corner=True),
        _p("setback_side", "4", "m", "autres lots", corner=False),
        _p("min_lot_area", "600", "m2", "lots d'angle", corner=True),
        _p("min_lot_area", "500", "m2", "autres lots", corner=False),
    ],
    "I": [
        _p("max_height", "min(road_width + 2, 21)", "m", "H ≤ L + 2 m, au plus 21 m"),
        _p("ces", "1", "ratio", "rez-de-chaussée sur voies de 20 m et plus", floor_from=0, floor_to=0,
           road_width_min=20),
        _p("ces", "0.7", "ratio", "rez-de-chaussée sur voies de moins de 20 m", floor_from=0, floor_to=0,
           road_width_max=20),
        _p("ces", "0.7", "ratio", "étages", floor_from=1),
        _p("upper_retreat", "3", "m", "étages au-dessus du R+3 en retrait de 3 m sur la façade", floor_from=4),
    ],
}


def provisions_of(code, flat_values, article_number):
    """The provision rows of zone `code`: its conditional provisions, and the flat values for the rest."""
    from plans.reglement.flat import from_flat

    conditional = CONDITIONAL.get(code, [])
    replaced = {row["subject"] for row in conditional}
    rows = [row for row in from_flat(flat_values) if row["subject"] not in replaced]
    for row in conditional:
        row = {k: v for k, v in row.items() if k != "note_fr"}
        rows.append(row)
    for position, row in enumerate(rows, start=1):
        row.update(position=position, article=f"Article {article_number}", paragraph=f"§ {position}")
    return rows

