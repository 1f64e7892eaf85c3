"""The MapServer mapfile of /ows, generated from the layer registry and the plans' vocabulary: never written by hand.

One LAYER per published collection of the OGC API (layers.serving.registry.published_layers; the catalogue of
records has no map), reading the same public SQL view as /ogc/ (drafts never: the views keep only what the law
made public) through the app's database role. Styles come from plans/vocabulary.py, the one source of the web
map's colours: a class per zone family (its regular expression evaluated by PostgreSQL) and per servitude kind.
The zones, servitudes, roads and equipment layers take `date=YYYY-MM-DD` (history by date): what the plans in force
that day fixed, current and past versions alike, through the same `plan_in_force` rule as the ORM and the views, as
a validated runtime substitution (registry.PAST_VERSIONS says where each layer's past versions are).

A collection of mixed geometries (the inquiry's observations: points, parcel outlines, drawn areas) becomes two
MapServer layers, since a MapServer layer has one geometry type and drops (WMS) or converts (WFS) the others:
`<id>-points` and `<id>-areas`, grouped under `<id>` (so WMS `LAYERS=<id>` draws both; WFS serves each with its
own geometry).

Lambert CRSs carry the datum shift pinned in plans/crs.py: MapServer reads them from a generated `epsg` init
file (PROJ_USE_PROJ4_INIT_RULES, the map's PROJ_DATA), not from PROJ's database, so WMS, WFS and the OGC API agree to the millimetre.
"""
from dataclasses import dataclass

from layers.serving.registry import LAYERS, PAST_VERSIONS, published_layers
from plans.crs import LAMBERT_PROJ, SUPPORTED_SRIDS
from plans.vocabulary import (DRAFT_COLOUR, PARCEL_COLOUR, PERIMETER_COLOUR, SERVITUDE_COLOURS, ZONE_FAMILIES,
                              draft_notice, servitude_kind_label)

CONFIG_DIR = "@CONFIG_DIR@"  # replaced by the configuration's directory when written (layers/ows/engine.py)
MOROCCO_EXTENT = (-17.2, 20.7, -0.9, 36.0)  # lon/lat, the agencies' territories with a margin
FILL_OPACITY = 55  # per cent: the web map's zones, over a base map
ZONE_OUTLINE = "#555555"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core (geoportal/bin/setup-system.sh)
SRS_LIST = " ".join(f"EPSG:{srid}" for srid in SUPPORTED_SRIDS)
ABSTRACT = ("Plans d'aménagement en vigueur (zones, servitudes, voirie, équipements), parcelles, agences et communes "
            "du Maroc : WMS 1.3.0 et WFS 2.0 (MapServer), les mêmes couches publiques que l'OGC API /ogc/. "
            "Paramètre date=AAAA-MM-JJ : les zones, servitudes, voies et équipements en vigueur ce jour-là.")
# The tiles' minimum zoom of a layer, as the largest scale denominator its map is drawn at (zoom 0 = 1:559M).
ZOOM0_SCALE = 559_082_264


@dataclass(frozen=True)
class Rendered:
    """The files of one generated configuration: name → text."""

    files: dict


def epsg_init_file():
    """The `epsg` init file MapServer reads CRSs from: PROJ strings, Lambert with the pinned Merchich shift."""
    lines = ["<4326> +proj=longlat +datum=WGS84 +no_defs <>",
             "<3857> +proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m "
             "+nadgrids=@null +wktext +no_defs <>"]
    lines += [f"<{srid}> {proj.replace(' +type=crs', '')} <>" for srid, proj in LAMBERT_PROJ.items()]
    return "\n".join(lines) + "\n"


def _rgb(colour):
    colour = colour.lstrip("#")
    return " ".join(str(int(colour[i:i + 2], 16)) for i in (0, 2, 4))


def _quoted(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sql_regex(pattern):
    """A vocabulary pattern (Python `re`, searched) as a PostgreSQL `~` literal with the same meaning."""
    sql = pattern.replace(r"\d", "[0-9]").replace(r"\+", "[+]")
    if "\\" in sql or "'" in sql:
        raise ValueError(f"zone family pattern {pattern!r} needs a translation to PostgreSQL")
    return f"'{sql}'"


def zone_family_sql(column="code"):
    """SQL naming the zone family of `column`: the first family whose pattern matches wins, as in Python."""
    cases = " ".join(f"WHEN {column} ~ {_sql_regex(f.pattern)} THEN '{f.key}'" for f in ZONE_FAMILIES[:-1])
    return f"CASE {cases} ELSE '{ZONE_FAMILIES[-1].key}' END"


def _columns(layer):
    return ", ".join(["id", *layer.properties, "geom"])


def _dated(layer, columns):
    """The rows of `layer`, or with `date` those of the plan versions in force that day (current or past)."""
    if layer.id not in PAST_VERSIONS:
        return f"(SELECT {columns} FROM {layer.view})"
    history, kinds = PAST_VERSIONS[layer.id]
    past = next(candidate.view for candidate in LAYERS if candidate.id == history)
    where = f" WHERE kind {kinds[0]} ({', '.join(repr(kind) for kind in kinds[1])})" if kinds else ""
    in_force = "plan_in_force(plan_status, effective_date, superseded_on, expiry_date, NULLIF('%date%', '')::date)"
    return (f"(SELECT {columns} FROM {layer.view} WHERE '%date%' = '' UNION ALL "
            f"SELECT {columns} FROM (SELECT {columns} FROM {layer.view} UNION ALL "
            f"SELECT {columns} FROM {past}{where}) d WHERE '%date%' <> '' AND {in_force})")


def layer_sql(layer):
    """The subquery MapServer reads for `layer`: its public view (by date where it has past versions), and the
    zone family for the zones."""
    source = _dated(layer, _columns(layer))
    if layer.id == "zones":
        return f"(SELECT s.*, {zone_family_sql('s.code')} AS family FROM {source} s)"
    return source


# MapServer layers of one collection: (name suffix, TYPE, the geometries it keeps by ST_Dimension, GML type,
# what its title adds).
SINGLE = (("", "POLYGON", None, "multipolygon", ""),)
MIXED = (("-areas", "POLYGON", 2, "multipolygon", " (surfaces)"), ("-points", "POINT", 0, "point", " (points)"))
POINT_SIZE = 9  # pixels: a pinned observation


def _parts(layer):
    return MIXED if layer.geometry_type == "Geometry" else SINGLE


def _style(fill=None, outline=None, width=1.0, opacity=FILL_OPACITY, pattern=None, symbol=None):
    parts = ["      STYLE"]
    if symbol:
        parts.append(f'        SYMBOL "{symbol}"')
        parts.append(f"        SIZE {POINT_SIZE}")
    if fill:
        parts.append(f"        COLOR {_rgb(fill)}")
        parts.append(f"        OPACITY {opacity}")
    if outline:
        parts.append(f"        OUTLINECOLOR {_rgb(outline)}")
        parts.append(f"        WIDTH {width}")
    if pattern:
        parts.append(f"        PATTERN {pattern} END")
    parts.append("      END")
    return "\n".join(parts)


def _class(name, expression, *styles):
    lines = ["    CLASS", f"      NAME {_quoted(name)}"]
    if expression:
        lines.append(f"      EXPRESSION {expression}")
    return "\n".join(lines + list(styles) + ["    END"])


def layer_classes(layer, points=False):
    """The CLASS blocks of `layer` (of its point part with `points`): the web map's colours, one legend entry
    each."""
    if layer.id.endswith("-inquiry") or layer.id == "observations":
        return [_class(draft_notice("fr"), None, _style(DRAFT_COLOUR, DRAFT_COLOUR, 1.5, 30 if not points else 80,
                                                        symbol="circle" if points else None))]
    if layer.id == "zones":
        return [_class(f.label_fr, f'("[family]" = "{f.key}")', _style(f.colour, ZONE_OUTLINE)) for f in ZONE_FAMILIES]
    if layer.id.startswith("zones"):
        return [_class(layer.title_fr, None, _style(None, ZONE_OUTLINE, 1.0, pattern="4 3"))]
    if "kind" in layer.properties:
        kinds = [k for k in SERVITUDE_COLOURS if k != "other"]
        classes = [_class(servitude_kind_label(kind), f'("[kind]" = "{kind}")',
                          _style(SERVITUDE_COLOURS[kind], SERVITUDE_COLOURS[kind], 1.5, 25)) for kind in kinds]
        other = SERVITUDE_COLOURS["other"]
        return classes + [_class(servitude_kind_label("other"), None, _style(other, other, 1.5, 25))]
    if layer.id == "parcels":
        return [_class("Parcelle", None, _style(None, PARCEL_COLOUR, 0.8))]
    if layer.id in {"plans", "agencies"}:
        return [_class(layer.title_fr, None, _style(None, PERIMETER_COLOUR, 2.0))]
    return [_class(layer.title_fr, None, _style(None, PERIMETER_COLOUR, 1.0, pattern="6 3"))]


def _html_template(layer):
    rows = "".join(f"<tr><th>{name}</th><td>[item name=\"{name}\"]</td></tr>"
                   for name in layer.properties if layer.properties[name] != "array")
    return (f"<!-- MapServer Template -->\n<table class=\"{layer.id}\"><caption>{layer.title_fr} "
            f"[item name=\"id\"]</caption>{rows}</table>\n")


def _layer_block(layer, dsn, part=SINGLE[0]):
    suffix, kind, dimension, gml_type, title = part
    source = layer_sql(layer)
    if dimension is not None:
        source = f"(SELECT * FROM {source} k WHERE ST_Dimension(k.geom) = {dimension})"
    group = f"    GROUP {_quoted(layer.id)}\n" if suffix else ""
    group_title = f'      "wms_group_title" {_quoted(layer.title_fr)}\n' if suffix else ""
    scale = f"    MAXSCALEDENOM {ZOOM0_SCALE // 2 ** (layer.min_zoom - 1)}\n" if layer.min_zoom else ""
    validation = ('    VALIDATION\n      "date" "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"\n      "default_date" ""\n'
                  '    END\n') if layer.id in PAST_VERSIONS else ""
    items = ",".join(["id", *layer.properties] + (["family"] if layer.id == "zones" else []))
    return f"""  LAYER
    NAME {_quoted(layer.id + suffix)}
{group}    TYPE {kind}
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION {_quoted(dsn)}
    DATA {_quoted(f"geom FROM {source} AS t USING UNIQUE id USING SRID=4326")}
    PROCESSING "CLOSE_CONNECTION=DEFER"
    TEMPLATE {_quoted(layer.id + ".html")}
    PROJECTION "init=epsg:4326" END
    EXTENT {" ".join(map(str, MOROCCO_EXTENT))}
{scale}{validation}    METADATA
      "ows_title" {_quoted(layer.title_fr + title)}
{group_title}      "ows_abstract" {_quoted(layer.description)}
      "ows_keywordlist" {_quoted(",".join(layer.keywords))}
      "ows_srs" "{SRS_LIST}"
      "ows_extent" "{" ".join(map(str, MOROCCO_EXTENT))}"
      "ows_include_items" "{items}"
      "gml_include_items" "{items}"
      "gml_featureid" "id"
      "gml_geometries" "geom"
      "gml_geom_type" "{gml_type}"
      "gml_types" "auto"
      "wfs_getfeature_formatlist" "application/json"
    END
{chr(10).join(layer_classes(layer, points=kind == "POINT"))}
  END
"""


def render(dsn, online_resource, layers=None):
    """The mapfile and its companion files for the published layers; `dsn`: libpq string of the app role."""
    layers = [layer for layer in (layers or published_layers().values()) if layer.item_type == "feature"]
    minx, miny, maxx, maxy = MOROCCO_EXTENT
    blocks = "".join(_layer_block(layer, dsn, part) for layer in layers for part in _parts(layer))
    mapfile = f"""MAP
  NAME "geoportail"
  EXTENT {minx} {miny} {maxx} {maxy}
  SIZE 800 600
  MAXSIZE 4096
  UNITS DD
  IMAGECOLOR 255 255 255
  FONTSET "fonts.txt"
  CONFIG "PROJ_DATA" "{CONFIG_DIR}/proj"
  CONFIG "PROJ_LIB" "{CONFIG_DIR}/proj"
  CONFIG "MS_ERRORFILE" "stderr"
  PROJECTION "init=epsg:4326" END
  OUTPUTFORMAT
    NAME "png"
    DRIVER AGG/PNG
    MIMETYPE "image/png"
    IMAGEMODE RGBA
    EXTENSION "png"
    TRANSPARENT OFF
  END
  OUTPUTFORMAT
    NAME "application/json"
    DRIVER "OGR/GEOJSON"
    MIMETYPE "application/json"
    FORMATOPTION "STORAGE=memory"
    FORMATOPTION "FORM=SIMPLE"
    FORMATOPTION "LCO:RFC7946=YES"
  END
  SYMBOL
    NAME "circle"
    TYPE ELLIPSE
    FILLED TRUE
    POINTS 1 1 END
  END
  LEGEND
    KEYSIZE 20 12
    LABEL TYPE TRUETYPE FONT "sans" SIZE 9 COLOR 0 0 0 END
  END
  WEB
    HEADER "header.html"
    FOOTER "footer.html"
    METADATA
      "ows_title" "Géoportail des agences urbaines"
      "ows_abstract" {_quoted(ABSTRACT)}
      "ows_onlineresource" {_quoted(online_resource + "?")}
      "ows_srs" "{SRS_LIST}"
      "ows_enable_request" "GetCapabilities GetMap GetFeatureInfo GetLegendGraphic GetFeature DescribeFeatureType"
      "ows_encoding" "UTF-8"
      "wms_feature_info_mime_type" "text/html"
      "wms_getfeatureinfo_formatlist" "text/html,application/json,application/vnd.ogc.gml"
      "wfs_getfeature_formatlist" "application/json"
      "wfs_maxfeatures" "10000"
    END
  END
{blocks}END
"""
    files = {"ows.map": mapfile, "proj/epsg": epsg_init_file(), "fonts.txt": f"sans {FONT}\n",
             "header.html": "<!-- MapServer Template -->\n<!doctype html><html><head><meta charset=\"utf-8\">"
                            "<title>GetFeatureInfo</title></head><body>\n",
             "footer.html": "<!-- MapServer Template -->\n</body></html>\n"}
    files.update({f"{layer.id}.html": _html_template(layer) for layer in layers})
    return Rendered(files)
