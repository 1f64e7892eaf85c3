"""The layers an extract can contain, and their attribute fields.

Field names are French (as on the plans) and at most 10 characters, so that
the same schema goes unchanged into a Shapefile's dBase table. Lengths and
areas are metres and square metres in the plan's Lambert CRS.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "str", "float", "int" or "bool"
    label_fr: str


@dataclass(frozen=True)
class Layer:
    name: str
    label_fr: str
    label_ar: str
    fields: tuple

    @property
    def field_names(self):
        return [field.name for field in self.fields]


CLIPPED = Field("decoupe", "bool", "Entité découpée à la limite de l'extrait")
AREA = Field("surface_m2", "float", "Surface dans l'extrait (m², Lambert)")

ZONES = Layer("zones", "Zones", "المناطق", (
    Field("code", "str", "Code de zone"),
    Field("libelle", "str", "Libellé"),
    Field("libelle_ar", "str", "Libellé (arabe)"),
    Field("haut_max_m", "float", "Hauteur maximale (m)"),
    Field("niveaux", "int", "Niveaux au-dessus du sol (R+n)"),
    Field("cos", "float", "COS"),
    Field("ces", "float", "CES"),
    Field("lot_min_m2", "int", "Lot minimal (m²)"),
    AREA,
    CLIPPED,
))
SERVITUDES = Layer("servitudes", "Servitudes et réservations", "الارتفاقات والتخصيصات", (
    Field("type", "str", "Type de servitude"),
    Field("code", "str", "Code"),
    Field("libelle", "str", "Libellé"),
    Field("libelle_ar", "str", "Libellé (arabe)"),
    Field("largeur_m", "float", "Largeur prévue (m)"),
    AREA,
    CLIPPED,
))
PARCELS = Layer("parcelles", "Parcelles", "القطع الأرضية", (
    Field("titre", "str", "Titre foncier ou réquisition"),
    Field("surf_titre", "float", "Surface inscrite au titre (m²)"),
    AREA,
    CLIPPED,
))
BOUNDARY = Layer("emprise", "Emprise de l'extrait", "حدود المستخرج", (AREA,))

# What a user may choose, in the order layers are drawn and written.
LAYERS = {layer.name: layer for layer in (ZONES, SERVITUDES, PARCELS)}
DEFAULT_LAYERS = tuple(LAYERS)
