"""What the print map draws, fetched from PostGIS as SVG paths already in paper millimetres.

One query per layer. Each query transforms the stored lon/lat geometry to the
map's Lambert CRS, clips it to the map frame (ST_ClipByBox2D, in metres) and
applies the Lambert -> paper affine transform in PostGIS (ST_Affine), so that
ST_AsSVG writes paper coordinates in millimetres with two decimals: Python
never loops over vertices. Label anchors come back in Lambert metres.
"""
import json
import re
from dataclasses import dataclass

from django.db import connection

from plans.vocabulary import FOOTPRINT_COLOUR

# Servitude kinds, drawn in this order (later on top): their SVG presentation attributes (their names are
# plans.vocabulary's, the zones' colours too).
SERVITUDE_STYLES = {
    "road": 'fill="#ffffff" stroke="#9a9a9a" stroke-width="0.15"',
    "flood_zone": 'fill="#1f78b4" fill-opacity="0.15" stroke="#1f78b4" stroke-width="0.3" stroke-dasharray="1.2 0.6"',
    "heritage": 'fill="none" stroke="#8b4513" stroke-width="0.45" stroke-dasharray="2 0.8"',
    "power_line": 'fill="#e67e22" fill-opacity="0.15" stroke="#e67e22" stroke-width="0.3" '
                   'stroke-dasharray="2 0.5 0.5 0.5"',
    "railway": 'fill="#555555" fill-opacity="0.15" stroke="#555555" stroke-width="0.3" stroke-dasharray="1 1"',
    "cemetery": 'fill="#777777" fill-opacity="0.2" stroke="#555555" stroke-width="0.3"',
    "maritime": 'fill="#3b8bc2" fill-opacity="0.2" stroke="#3b8bc2" stroke-width="0.3"',
    "other": 'fill="none" stroke="#555555" stroke-width="0.3" stroke-dasharray="1 1"',
    "non_aedificandi": ('fill="url(#hatch-violet)" stroke="#7d3c98" stroke-width="0.3" stroke-dasharray="1 0.6"'),
    "green_space": 'fill="#86c98a" stroke="#3d8b40" stroke-width="0.25"',
    "equipment": ('fill="url(#hatch-blue)" stroke="#1f4e9c" stroke-width="0.35"'),
    "road_widening": ('fill="url(#hatch-red)" stroke="#c0392b" stroke-width="0.3" stroke-dasharray="1.5 0.6"'),
    "planned_road": ('fill="url(#hatch-red)" stroke="#c0392b" stroke-width="0.4"'),
}
PATTERNS = "".join(
    f'<pattern id="hatch-{name}" width="1.2" height="1.2" patternUnits="userSpaceOnUse" '
    f'patternTransform="rotate(45)"><rect width="1.2" height="1.2" fill="{bg}"/>'
    f'<line x1="0" y1="0" x2="0" y2="1.2" stroke="{colour}" stroke-width="0.35"/></pattern>'
    for name, colour, bg in (("red", "#c0392b", "#fbe3e0"), ("blue", "#1f4e9c", "#ffffff"),
                             ("violet", "#7d3c98", "none"))
)
PARCEL_STYLE = 'fill="none" stroke="#333333" stroke-width="0.12"'
HIGHLIGHT_STYLE = 'fill="#ffff00" fill-opacity="0.25" stroke="#d40000" stroke-width="0.7"'
FOOTPRINT_STYLE = (f'fill="{FOOTPRINT_COLOUR}" fill-opacity="0.35" stroke="{FOOTPRINT_COLOUR}" stroke-width="0.5" '
                   'stroke-dasharray="1.2 0.6"')
# Beyond this many parcels in the frame the map would be black with lines:
# a 1/5,000 A3 frame holds ~6,000 sample parcels.
MAX_PARCELS = 20000


@dataclass(frozen=True)
class Frame:
    """The map frame: a Lambert bbox (metres, EPSG:`srid`) shown at `mm_per_m` from paper point (x0, y0) mm."""

    srid: int
    minx: float
    miny: float
    maxx: float
    maxy: float
    x0: float
    y0: float
    mm_per_m: float

    def paper(self, x, y):
        """Lambert metres -> paper millimetres (y downwards)."""
        return self.x0 + (x - self.minx) * self.mm_per_m, self.y0 + (self.maxy - y) * self.mm_per_m

    def params(self):
        k = self.mm_per_m
        return {
            "srid": self.srid, "minx": self.minx, "miny": self.miny, "maxx": self.maxx, "maxy": self.maxy,
            # ST_AsSVG negates y, so the affine writes -(paper y) and the SVG comes out right.
            "k": k, "ox": self.x0 - self.minx * k, "oy": -(self.y0 + self.maxy * k),
        }


_ENVELOPE = """
WITH frame AS (SELECT ST_MakeEnvelope(%(minx)s, %(miny)s, %(maxx)s, %(maxy)s, %(srid)s) AS box),
search AS (SELECT box, ST_Transform(ST_Expand(box, 20), 4326) AS lonlat FROM frame)
"""
# Simplified (Douglas-Peucker, topology kept) under `simplify` metres of ground when asked: detail below
# what the printer resolves only weighs on the PDF.
# Only the polygons of a clip are drawn: ST_ClipByBox2D may return a collection (a polygon and the line or point
# where a shape touches the box), which ST_AsSVG writes as paths joined by ";" — and WeasyPrint 70 loops for ever,
# growing without bound, on such a path (a note PDF job took 20 GB before it was killed).
_PAPER = ("ST_AsSVG(ST_Affine(CASE WHEN %(simplify)s > 0 "
          "THEN ST_SimplifyPreserveTopology(ST_CollectionExtract(clipped, 3), %(simplify)s) "
          "ELSE ST_CollectionExtract(clipped, 3) END, %(k)s, 0, 0, %(k)s, %(ox)s, %(oy)s), 0, %(precision)s)")
# What a path may hold once written: absolute moves, lines and closes (ST_AsSVG with rel=0), numbers.
_SAFE_PATH = re.compile(r"[MLZ0-9 .-]*")
# The revision drawn for a plan: the one asked for (a note's), else the live one.
_REVISION = "COALESCE((%(revisions)s::jsonb ->> p.id::text)::int, p.live_revision)"

ZONES_SQL = _ENVELOPE + f"""
SELECT code, label_fr, label_ar, {_PAPER} AS path, ST_X(anchor), ST_Y(anchor), ST_Area(clipped)
FROM (
    SELECT z.code, COALESCE(r.label_fr, '') AS label_fr, COALESCE(r.label_ar, '') AS label_ar, c.clipped,
           ST_PointOnSurface(c.clipped) AS anchor
    FROM search, plans_zone z
    JOIN plans_plandocument p ON p.id = z.plan_id AND z.revision = {_REVISION}
    LEFT JOIN plans_zonerule r ON r.id = z.rule_id
    CROSS JOIN LATERAL (SELECT ST_ClipByBox2D(ST_Transform(z.geom, %(srid)s), search.box) AS clipped) c
    WHERE z.plan_id = ANY(%(plans)s) AND z.geom && search.lonlat AND NOT ST_IsEmpty(c.clipped)
) zones
ORDER BY code
"""

# Servitudes are drawn from their subdivided pieces (plans_servitude_piece, kept by a trigger) cut to the frame and
# joined again, as the envelope's site query reads them (plans.reglement.site): a road widening or a band is one
# footprint of up to 90,000 vertices whose box covers a district, so testing every footprint's box read hundreds of
# them for one note's map (5.5 s at 10M parcels), and even the few that reach the frame are never read whole.
SERVITUDES_SQL = _ENVELOPE + f"""
, reaching AS MATERIALIZED (
    SELECT k.servitude_id AS id, ST_Union(ST_MakeValid(ST_ClipByBox2D(k.geom, Box2D(search.lonlat)))) AS near
    FROM search, plans_servitude_piece k
    WHERE k.geom && search.lonlat AND ST_Intersects(k.geom, search.lonlat)
    GROUP BY k.servitude_id
)
SELECT kind, code, {_PAPER} AS path, ST_X(anchor), ST_Y(anchor), ST_Area(clipped)
FROM (
    SELECT s.kind, s.code, c.clipped, ST_PointOnSurface(c.clipped) AS anchor
    FROM search, reaching r JOIN plans_servitude s ON s.id = r.id
    JOIN plans_plandocument p ON p.id = s.plan_id AND s.revision = {_REVISION}
    CROSS JOIN LATERAL (SELECT ST_ClipByBox2D(ST_Transform(r.near, %(srid)s), search.box) AS clipped) c
    WHERE s.plan_id = ANY(%(plans)s) AND NOT ST_IsEmpty(c.clipped)
) servitudes
"""

PARCELS_SQL = _ENVELOPE + f"""
SELECT {_PAPER} AS path
FROM (
    SELECT ST_ClipByBox2D(ST_Transform(pa.geom, %(srid)s), search.box) AS clipped
    FROM search, plans_parcel pa
    WHERE pa.geom && search.lonlat
    LIMIT {MAX_PARCELS}
) parcels
WHERE NOT ST_IsEmpty(clipped)
"""

HIGHLIGHT_SQL = _ENVELOPE + f"""
SELECT {_PAPER} FROM (
    SELECT ST_ClipByBox2D(ST_Transform(ST_GeomFromEWKB(%(geom)s), %(srid)s), box) AS clipped FROM frame
) highlight WHERE NOT ST_IsEmpty(clipped)
"""


def _rows(sql, params, path_column):
    """Rows of `sql`, column `path_column` an SVG path: refused (ValueError) when a path holds anything but moves,
    lines, closes and numbers, rather than handed to the PDF renderer."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for row in rows:
        if not _SAFE_PATH.fullmatch(row[path_column] or ""):
            raise ValueError(f"print map: a drawn path holds unexpected characters: {row[path_column][:120]!r}")
    return rows


def _detail(frame, precision):
    """SVG decimals of paper mm, and the ground tolerance (m) that moves no vertex by more than half of the
    last decimal kept (0 at the default 2 decimals: drawn exactly, as before)."""
    return {"precision": precision, "simplify": 0.0 if precision >= 2 else 0.5 * 10 ** -precision / frame.mm_per_m}


def _revisions(revisions):
    return json.dumps({str(plan): int(revision) for plan, revision in (revisions or {}).items()})


def zones(frame, plan_ids, revisions=None, precision=2):
    """[(code, label_fr, label_ar, svg path, anchor x, anchor y, area m²)] of the zones of `plan_ids`.

    Zones of the revision `revisions` gives per plan id, else of the live revision.
    """
    return _rows(ZONES_SQL, {**frame.params(), "plans": list(plan_ids), "revisions": _revisions(revisions),
                             **_detail(frame, precision)}, 3)


def servitudes(frame, plan_ids, revisions=None, precision=2):
    """[(kind, code, svg path, anchor x, anchor y, area m²)] of the servitude footprints of `plan_ids`.

    Footprints of the revision `revisions` gives per plan id, else of the live revision.
    """
    return _rows(SERVITUDES_SQL, {**frame.params(), "plans": list(plan_ids), "revisions": _revisions(revisions),
                                  **_detail(frame, precision)}, 2)


def parcels(frame, precision=2):
    """[svg path] of the parcels in the frame (at most MAX_PARCELS)."""
    return [row[0] for row in _rows(PARCELS_SQL, {**frame.params(), **_detail(frame, precision)}, 0)]


def highlight(frame, geom, precision=2):
    """The svg path of a GEOSGeometry (any SRID) in the frame, or '' when it lies outside."""
    rows = _rows(HIGHLIGHT_SQL, {**frame.params(), "geom": bytes(geom.ewkb), **_detail(frame, precision)}, 0)
    return rows[0][0] if rows else ""
