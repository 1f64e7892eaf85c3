"""Field mapping: which source field (or fixed value) feeds each field of our plan schema.

A mapping is a dict {our field: spec}; a spec is a source field name, or
{"field": NAME, "values": {source value: our value}, "empty": VALUE} to recode
values (and give a value to the features where the source field is empty),
or {"value": CONSTANT}. Mappings are saved per agency and source (the set of
field names) and offered again for the next file with the same fields.
"""
from geoportal.core.errors import InvalidParameter, MissingParameter
from plans.models.zoning import ServitudeKind

from . import staging
from layers.records import FieldMapping, Target, fields_signature

TEXT, NUMBER, INTEGER = "text", "number", "integer"

# Our schema per target: field → (type, required, help).
SCHEMA = {
    Target.ZONES: {
        "code": (TEXT, True, 'zone code as on the plan ("B3", "R+4", "UA")'),
        "label_fr": (TEXT, False, "zone name in French (used for the rule of a new code)"),
        "label_ar": (TEXT, False, "zone name in Arabic"),
        "cos": (NUMBER, False, "COS, floor area / lot area (0 to 20)"),
        "ces": (NUMBER, False, "CES, footprint / lot area (0 to 1)"),
        "max_height_m": (NUMBER, False, "maximum height in metres (0 to 300)"),
        "max_floors": (INTEGER, False, "floors above ground (R+4 → 4)"),
    },
    Target.SERVITUDES: {
        "kind": (TEXT, True, "one of: " + ", ".join(ServitudeKind.values)),
        "code": (TEXT, False, 'reservation or road code ("M12", "RN2")'),
        "label_fr": (TEXT, False, "label in French (default: the kind's name)"),
        "label_ar": (TEXT, False, "label in Arabic"),
        "width_m": (NUMBER, False, "width of a road or corridor in metres (needed for lines)"),
    },
    Target.PARCELS: {
        "title_number": (TEXT, True, 'land title or requisition number ("TF 12345/19", "R 678/19")'),
        "area_on_title_m2": (NUMBER, False, "area written on the title, m²"),
        "commune": (TEXT, False, "commune code"),
    },
}
# Ranges a value must fall in, else the validation report lists an error.
RANGES = {"cos": (0, 20), "ces": (0, 1), "max_height_m": (0, 300), "max_floors": (0, 60), "width_m": (0, 500),
          "area_on_title_m2": (0, 1e9)}
# Field names seen in deliveries (CNIG standard, common consultant exports) → our field.
_KNOWN_NAMES = {
    "code": ["CODE", "CODE_ZONE", "ZONE", "LIBELLE", "BASE_DISTR", "ZONAGE"],
    "label_fr": ["LABEL_FR", "LIBELONG", "NOM", "LABEL", "DESIGNATION"],
    "label_ar": ["LABEL_AR", "NOM_AR"],
    "cos": ["COS"], "ces": ["CES"],
    "max_height_m": ["HAUTEUR", "HAUTEUR_MAX", "MAX_HEIGHT_M", "HMAX"],
    "max_floors": ["NIVEAUX", "MAX_FLOORS", "ETAGES"],
    "kind": ["KIND", "TYPE", "TYPEPSC", "NATURE"],
    "width_m": ["LARGEUR", "WIDTH_M", "EMPRISE"],
    "title_number": ["TITLE_NUMBER", "TITRE", "TF", "NUM_TF", "REF_FONCIERE", "PIN"],
    "area_on_title_m2": ["AREA_ON_TITLE_M2", "SUPERFICIE", "CONTENANCE", "SURFACE"],
    "commune": ["COMMUNE", "CODE_COMMUNE", "INSEE"],
}


def schema_help(target):
    return {name: {"type": t, "required": req, "help": h} for name, (t, req, h) in SCHEMA[target].items()}


def suggest(target, fields):
    """A mapping guessed from well-known field names (shown to the user, never applied unasked)."""
    upper = {f.upper(): f for f in fields}
    guess = {}
    for ours in SCHEMA[target]:
        for known in _KNOWN_NAMES.get(ours, []):
            if known in upper and upper[known] not in guess.values():
                guess[ours] = upper[known]
                break
    return guess


def saved(agency, target, fields):
    """The mapping saved for this agency and source, or None."""
    found = FieldMapping.objects.filter(agency=agency, target=target, signature=fields_signature(fields)).first()
    return found.mapping if found else None


def remember(agency, target, fields, mapping, label, user):
    FieldMapping.objects.update_or_create(
        agency=agency, target=target, signature=fields_signature(fields),
        defaults={"mapping": mapping, "source_label": label, "updated_by": user})


def check(target, mapping, fields=None):
    """Return `mapping` normalised to {our field: {"field"|"value", "values"}}; raise on any mistake.

    The messages name the wrong entry and list what is allowed. Without `fields` (the file's, not known yet)
    only the mapping's own shape and our fields are checked.
    """
    theirs = f"; the file's fields: {', '.join(fields)}" if fields is not None else ""
    if not isinstance(mapping, dict) or not mapping:
        raise MissingParameter(f"give a field mapping for {target}: a JSON object {{our field: source field}}; our "
                               f"fields: {', '.join(SCHEMA[target])}{theirs}", "mapping")
    schema = SCHEMA[target]
    normal = {}
    for ours, spec in mapping.items():
        if ours not in schema:
            raise InvalidParameter(f"mapping: {ours!r} is not a field of {target}; use one of {', '.join(schema)}",
                                   "mapping")
        if spec in (None, ""):
            continue
        if isinstance(spec, str):
            spec = {"field": spec}
        if not isinstance(spec, dict) or ("field" in spec) == ("value" in spec):
            raise InvalidParameter(f"mapping: {ours!r} must be a field name, {{\"field\": …, \"values\": {{…}}}} or "
                                   f"{{\"value\": …}} (got {spec!r})", "mapping")
        if "field" in spec and fields is not None and spec["field"] not in fields:
            raise InvalidParameter(f"mapping: {ours!r} reads field {spec['field']!r}, which the file does not have; "
                                   f"its fields are: {', '.join(fields)}", "mapping")
        if not isinstance(spec.get("values", {}), dict):
            raise InvalidParameter(f"mapping: 'values' of {ours!r} must be an object {{source value: our value}}",
                                   "mapping")
        unknown = set(spec) - {"field", "values", "empty", "value"}
        if unknown:
            raise InvalidParameter(f"mapping: {ours!r} has unknown key(s) {', '.join(sorted(unknown))}; a spec has "
                                   "'field' (with 'values' and 'empty') or 'value'", "mapping")
        if spec.get("empty") in (None, ""):
            spec = {k: v for k, v in spec.items() if k != "empty"}
        elif "value" in spec or not isinstance(spec["empty"], (str, int, float)) or not str(spec["empty"]).strip():
            raise InvalidParameter(f"mapping: 'empty' of {ours!r} is the value given where field "
                                   f"{spec.get('field')!r} is empty: a non-blank text or number (got "
                                   f"{spec['empty']!r})", "mapping")
        normal[ours] = spec
    missing = [ours for ours, (_, required, _h) in schema.items() if required and ours not in normal]
    if missing:
        raise MissingParameter(f"mapping: {', '.join(missing)} must be mapped for {target}{theirs}", "mapping")
    return normal


def expression(spec, columns, alias="s"):
    """(SQL text expression, params) giving the mapped value for a staging row `alias`."""
    if spec is None:
        return "NULL::text", []
    if "value" in spec:
        return "%s::text", [str(spec["value"])]
    column = f"{alias}.{columns[spec['field']]}"
    values = spec.get("values") or {}
    if not values:
        sql, params = f"NULLIF(trim({column}), '')", []
    else:
        whens = " ".join("WHEN %s THEN %s" for _ in values)
        params = [p for pair in values.items() for p in (str(pair[0]), str(pair[1]))]
        sql = f"NULLIF(trim(CASE {column} {whens} ELSE {column} END), '')"
    if spec.get("empty") is not None:  # empty or blank in the source (or recoded to blank): the chosen value
        return f"COALESCE({sql}, %s)", params + [str(spec["empty"]).strip()]
    return sql, params


NUMBER_PATTERN = r"^[-+]?[0-9]*[.,]?[0-9]+([eE][-+]?[0-9]+)?$"


def as_number(sql):
    """SQL turning text `sql` into float8, NULL when it is not a number (comma decimals accepted)."""
    return f"(CASE WHEN ({sql}) ~ '{NUMBER_PATTERN}' THEN replace(({sql}), ',', '.')::float8 END)"


def create_view(upload, mapping):
    """Create the view `<staging table>_v`: one row per staged feature with our fields, mapped.

    Text fields appear as they are; number fields as float8 (NULL when not a
    number) plus `<field>_raw`, the text, so checks can name a bad value.
    """
    from django.db import connection

    columns = {f["name"]: f["column"] for f in upload.fields}
    parts = ["s.fid", "s.geom", "s.geom_problem"]
    for ours, (kind, _req, _help) in SCHEMA[upload.target].items():
        sql, params = expression(mapping.get(ours), columns)
        literal = connection.ops.compose_sql(sql, params) if params else sql
        if kind == TEXT:
            parts.append(f"{literal} AS {ours}")
        else:
            parts.append(f"{literal} AS {ours}_raw")
            parts.append(f"{as_number(literal)} AS {ours}")
    view, table = staging.name(upload.staging_table + "_v"), staging.name(upload.staging_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP VIEW IF EXISTS {view}")
        cursor.execute(f'CREATE VIEW {view} AS SELECT {", ".join(parts)} FROM {table} s')
