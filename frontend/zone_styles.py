"""Colours of the map: zones by code family, servitudes by kind, in one place.

The browser map (frontend/static/frontend/map.js), the folium embeds and the
map of the urbanism note all draw with these, so that a zone has the same
colour wherever a citizen sees it. Patterns are written so that Python's re
and JavaScript's RegExp read them the same way.
"""
import re
from dataclasses import asdict, dataclass


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
PARCEL_COLOUR = "#333333"
PERIMETER_COLOUR = "#1a1a6e"
SELECTION_COLOUR = "#00b3ff"


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


def as_config():
    """The styles as JSON-ready data for the browser map."""
    return {
        "zoneFamilies": [asdict(family) for family in ZONE_FAMILIES],
        "servitudeColours": SERVITUDE_COLOURS,
        "parcel": PARCEL_COLOUR,
        "perimeter": PERIMETER_COLOUR,
        "selection": SELECTION_COLOUR,
    }
