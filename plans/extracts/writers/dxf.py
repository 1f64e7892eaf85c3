"""DXF writer (ezdxf): the extract in true Lambert coordinates, units metres, for AutoCAD.

One DXF layer per plan layer (ZONES, SERVITUDES, PARCELLES, EMPRISE) holding
closed polylines (one per ring), a text layer per plan layer holding zone
codes, servitude codes and title numbers at a point inside each feature, and
hatches coloured per zone family (ZONES_TRAMES). An extract of a land title
also carries what the règlement allows there (plans.reglement): ALIGNEMENT (the
lot's edges along roads, existing or planned, with the road and its width),
RECULS (the setback lines) and EMPRISE_CONSTRUCTIBLE (the buildable footprint,
with its maximum height). The extract metadata goes in the drawing's custom
properties.
"""
import re

import ezdxf
import shapely
from ezdxf import units
from ezdxf.enums import TextEntityAlignment

from geoportal.core.errors import InvalidParameter
from plans.crs import LAMBERT_PROJ
from plans.reglement import buildable

# AutoCAD colour index and hatch pattern per zone family (the letters of the code).
ZONE_FAMILIES = {
    "B": (30, "ANSI31"),   # continuous housing: orange
    "R": (30, "ANSI31"),
    "I": (1, "ANSI37"),    # buildings: red
    "D": (50, "ANSI32"),   # villas: yellow
    "V": (50, "ANSI32"),
    "E": (40, "ANSI33"),   # economic housing
    "HE": (40, "ANSI33"),
    "ZI": (6, "ANSI36"),   # industry: magenta
    "ZAE": (6, "ANSI36"),
    "T": (4, "ANSI34"),    # tourism: cyan
    "ZT": (4, "ANSI34"),
    "EV": (3, "GRASS"),    # green space
    "RA": (82, "DOTS"),
    "NA": (82, "DOTS"),
}
OTHER_FAMILY = (8, "ANSI31")
LAYER_COLOURS = {"zones": 7, "servitudes": 1, "parcelles": 8, "emprise": 5}
BUILDABLE_LAYERS = {"ALIGNEMENT": 1, "RECULS": 6, "EMPRISE_CONSTRUCTIBLE": 5}
TEXT_FIELD = {"zones": "code", "servitudes": "code", "parcelles": "titre"}
TEXT_HEIGHT_M = {"zones": 2.5, "servitudes": 1.5, "parcelles": 1.0}


def zone_family(code):
    """The family of a zone code: "B3" → "B", "ZI2" → "ZI", "R+4" → "R"."""
    letters = re.match(r"[A-Za-z]+", code or "")
    return letters.group(0).upper() if letters else ""


def check_lambert(extract):
    if extract.srid not in LAMBERT_PROJ:
        raise InvalidParameter(f"DXF is written in Lambert metres; crs=EPSG:{extract.srid} cannot be used: omit crs "
                               f"(the plan's EPSG:{extract.area.srid}) or give a Lambert CRS", "crs")


def write_dxf(extract, directory):
    doc = ezdxf.new("R2013", setup=True, units=units.M)
    doc.header["$MEASUREMENT"] = 1  # metric
    for key, value in extract.metadata.items():
        doc.header.custom_vars.append(key, value)
    msp = doc.modelspace()
    for data in extract.layers_with_boundary():
        name = data.layer.name.upper()
        doc.layers.add(name, color=LAYER_COLOURS[data.layer.name])
        text_field = TEXT_FIELD.get(data.layer.name)
        if text_field:
            doc.layers.add(f"{name}_TEXTE", color=LAYER_COLOURS[data.layer.name])
        if data.layer.name == "zones":
            doc.layers.add("ZONES_TRAMES", color=OTHER_FAMILY[0])
        geometries = shapely.from_wkb(data.geometry)
        labels = shapely.point_on_surface(geometries)
        for index, geometry in enumerate(geometries):
            colour = None
            if data.layer.name == "zones":
                colour, pattern = ZONE_FAMILIES.get(zone_family(data.columns["code"][index]), OTHER_FAMILY)
                _hatch(msp, geometry, colour, pattern)
            for ring in _rings(geometry):
                attribs = {"layer": name} | ({"color": colour} if colour else {})
                msp.add_lwpolyline(ring, close=True, dxfattribs=attribs)
            if text_field and data.columns[text_field][index]:
                point = labels[index]
                msp.add_text(str(data.columns[text_field][index]), height=TEXT_HEIGHT_M[data.layer.name],
                             dxfattribs={"layer": f"{name}_TEXTE"}).set_placement(
                    (point.x, point.y), align=TextEntityAlignment.MIDDLE_CENTER)
    if extract.area.parcel is not None:
        _buildable(doc, msp, extract)
    path = directory / f"{extract.basename}.dxf"
    doc.saveas(path)
    return path


def _buildable(doc, msp, extract):
    """The règlement applied to the extract's land title: alignment, setback lines, buildable footprint."""
    env, _land = buildable.run(extract.area.parcel.geom, extract.srid, [extract.area.plan.pk])
    for name, colour in BUILDABLE_LAYERS.items():
        doc.layers.add(name, color=colour)
    for frontage in env.frontages:
        for segment in frontage["segments"]:
            msp.add_lwpolyline(list(segment.coords), dxfattribs={"layer": "ALIGNEMENT"})
        middle = frontage["segments"][0].interpolate(0.5, normalized=True)
        msp.add_text(f"{frontage['code']} ({frontage['width_m']:g} m)", height=1.0,
                     dxfattribs={"layer": "ALIGNEMENT"}).set_placement((middle.x, middle.y),
                                                                       align=TextEntityAlignment.MIDDLE_CENTER)
    for lines in env.setback_lines:
        for line in getattr(lines, "geoms", [lines]):
            if line.geom_type == "LineString":
                msp.add_lwpolyline(list(line.coords), dxfattribs={"layer": "RECULS"})
    for part, polygon in zip(env.parts, env.polygons):
        for ring in _rings(polygon):
            msp.add_lwpolyline(ring, close=True, dxfattribs={"layer": "EMPRISE_CONSTRUCTIBLE"})
        if not polygon.is_empty and part["max_height_m"] is not None:
            point = polygon.representative_point()
            msp.add_text(f"{part['zone']} H {part['max_height_m']:g} m", height=1.0,
                         dxfattribs={"layer": "EMPRISE_CONSTRUCTIBLE"}).set_placement(
                (point.x, point.y), align=TextEntityAlignment.MIDDLE_CENTER)


def _rings(geometry):
    for polygon in getattr(geometry, "geoms", [geometry]):
        yield list(polygon.exterior.coords)[:-1]
        for interior in polygon.interiors:
            yield list(interior.coords)[:-1]


def _hatch(msp, geometry, colour, pattern):
    hatch = msp.add_hatch(color=colour, dxfattribs={"layer": "ZONES_TRAMES"})
    hatch.set_pattern_fill(pattern, color=colour, scale=0.5)
    for polygon in getattr(geometry, "geoms", [geometry]):
        hatch.paths.add_polyline_path(list(polygon.exterior.coords)[:-1], is_closed=True, flags=1)
        for interior in polygon.interiors:
            hatch.paths.add_polyline_path(list(interior.coords)[:-1], is_closed=True, flags=0)
