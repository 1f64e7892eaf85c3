"""The 3D building envelope of a note: glTF 2.0 (binary, .glb) and CityJSON 2.0, in Lambert metres.

The envelope is, for each zone part of the lot, its stepped envelope: the prisms of the part's `volumes`
(plans.reglement.levels: each level's footprint from its floor to its ceiling, upper floors stepped back,
the lower building beyond the depth band); a note issued before volumes were stored has its buildable
footprint (`buildable.parts[].footprint_lambert`) extruded from the ground (z = 0) to the part's maximum
height. The lot itself is a flat surface at z = 0. In glTF each part is one mesh of closed prisms, in
CityJSON one Solid per prism (a MultiSolid when the part has several). Heights are metres above the natural ground (the plans give no
terrain), coordinates metres in the note's Lambert CRS (EPSG:26191/26192).

Origin (so that float32 vertices keep millimetres): ORIGIN = the land's bbox minimum rounded down to the
metre, written in both files.
- glTF: glTF is y-up, so a Lambert point (E, N, H) is the glTF vertex (E − x0, H, −(N − y0)); the origin,
  CRS and axes are in `asset.extras` (`crs`, `origin_lambert`, `axes`).
- CityJSON: integer vertices with `transform` scale 0.001 (mm) and translate = origin, so the real
  coordinates are the Lambert ones; `metadata.referenceSystem` is the OGC URL of the EPSG code.
The glTF is written with pygltflib; triangles come from shapely's constrained Delaunay triangulation.
"""
import json

import numpy as np
import pygltflib
import shapely
from shapely.geometry import shape

from plans.vocabulary import FOOTPRINT_COLOUR, PARCEL_COLOUR


def _rgba(colour, alpha):
    return [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)] + [alpha]


def solids(content):
    """[(name, [(Lambert polygon, z from m, z to m)], max height m, ground footprint m²)] of the envelope."""
    buildable = content.get("buildable") or {}
    out = []
    for part in buildable.get("parts") or []:
        if not part.get("max_height_m"):
            continue
        if "volumes" in part:
            prisms = [(shape(v["footprint_lambert"]), float(v["z_from_m"]), float(v["z_to_m"]))
                      for v in part["volumes"] if v.get("footprint_lambert") and v["z_to_m"] > v["z_from_m"]]
        elif part.get("footprint_lambert"):
            prisms = [(shape(part["footprint_lambert"]), 0.0, float(part["max_height_m"]))]
        else:
            prisms = []
        prisms = [(polygon, z0, z1) for polygon, z0, z1 in prisms if not polygon.is_empty and polygon.area > 0]
        if prisms:
            ground = shape(part["footprint_lambert"]).area if part.get("footprint_lambert") else 0.0
            out.append((f"envelope-{part['zone']}", prisms, float(part["max_height_m"]), ground))
    return out


def origin(land):
    minx, miny, _maxx, _maxy = land.bounds
    return float(np.floor(minx)), float(np.floor(miny))


MIN_RING_M2 = 0.01  # holes and pieces smaller than this are rounding dust, not part of a solid


def _polygons(geom):
    """The polygons of `geom`, valid, without repeated points and without dust holes or pieces."""
    geom = shapely.make_valid(shapely.remove_repeated_points(geom, 0.001))
    out = []
    for g in getattr(geom, "geoms", [geom]):
        for polygon in getattr(g, "geoms", [g]):
            if polygon.geom_type != "Polygon" or polygon.area < MIN_RING_M2:
                continue
            holes = [r for r in polygon.interiors if shapely.Polygon(r).area >= MIN_RING_M2]
            out.append(shapely.Polygon(polygon.exterior, holes))
    return out


def _triangles(polygon):
    """Triangles [(a, b, c)] of (x, y) tuples covering `polygon`, counter-clockwise seen from above."""
    out = []
    for tri in shapely.constrained_delaunay_triangles(polygon).geoms:
        a, b, c = tri.exterior.coords[:3]
        if (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) < 0:
            b, c = c, b
        out.append((a, b, c))
    return out


def _rings(polygon):
    """The rings of `polygon` oriented so that walls face outwards: shell counter-clockwise, holes clockwise."""
    oriented = shapely.geometry.polygon.orient(polygon, 1.0)
    return [list(oriented.exterior.coords)] + [list(r.coords) for r in oriented.interiors]


def prism_triangles(polygon, z0, z1):
    """Triangles [(p, q, r)] of (x, y, z) Lambert points of the closed prism from z0 to z1, outward-facing."""
    out = []
    for part in _polygons(polygon):
        for a, b, c in _triangles(part):
            out.append(((*a, z1), (*b, z1), (*c, z1)))  # top, seen from above: CCW
            out.append(((*a, z0), (*c, z0), (*b, z0)))  # bottom, facing down
        for ring in _rings(part):
            for (xa, ya), (xb, yb) in zip(ring, ring[1:]):
                out.append(((xa, ya, z0), (xb, yb, z0), (xb, yb, z1)))
                out.append(((xa, ya, z0), (xb, yb, z1), (xa, ya, z1)))
    return out


def flat_triangles(polygon):
    return [((*a, 0.0), (*b, 0.0), (*c, 0.0)) for part in _polygons(polygon) for a, b, c in _triangles(part)]


def gltf(content, land):
    """The envelope as GLB bytes (see the module docstring for the axes and origin)."""
    x0, y0 = origin(land)
    srid = content["srid"]
    meshes = [(name, [prism_triangles(polygon, z0, z1) for polygon, z0, z1 in prisms], _rgba(FOOTPRINT_COLOUR, 0.6))
              for name, prisms, _height, _ground in solids(content)]
    meshes.append(("parcel", [flat_triangles(land)], _rgba(PARCEL_COLOUR, 0.25)))
    blob, accessors, views, gl_meshes, nodes, materials = b"", [], [], [], [], []

    def add(data, count, component, kind, target, bounds=None):
        views.append(pygltflib.BufferView(buffer=0, byteOffset=len(blob), byteLength=len(data), target=target))
        accessors.append(pygltflib.Accessor(bufferView=len(views) - 1, componentType=component, count=count,
                                            type=kind, **(bounds or {})))
        return len(accessors) - 1, data + b"\0" * (-len(data) % 4)

    for n, (name, shells, colour) in enumerate(meshes):
        # Indexed triangles: the shared corners of one prism are one vertex (each prism a closed, watertight
        # solid for readers); two prisms never share a vertex, so each stays a shell of its own.
        unique, inverse = [], []
        for triangles in shells:
            points = np.array([p for tri in triangles for p in tri], dtype=np.float64).reshape(-1, 3)
            local = np.column_stack((points[:, 0] - x0, points[:, 2], -(points[:, 1] - y0))).astype(np.float32)
            corners, where = np.unique(local, axis=0, return_inverse=True)
            inverse.append(where.ravel() + sum(len(u) for u in unique))
            unique.append(corners)
        unique, inverse = np.concatenate(unique), np.concatenate(inverse)
        position, data = add(unique.tobytes(), len(unique), pygltflib.FLOAT, pygltflib.VEC3,
                             pygltflib.ARRAY_BUFFER, {"min": unique.min(axis=0).tolist(),
                                                      "max": unique.max(axis=0).tolist()})
        blob += data
        indices, data = add(inverse.astype(np.uint32).ravel().tobytes(), inverse.size, pygltflib.UNSIGNED_INT,
                            pygltflib.SCALAR, pygltflib.ELEMENT_ARRAY_BUFFER)
        blob += data
        materials.append(pygltflib.Material(name=name, doubleSided=True, alphaMode=pygltflib.BLEND,
                                            pbrMetallicRoughness=pygltflib.PbrMetallicRoughness(
                                                baseColorFactor=colour, metallicFactor=0.0, roughnessFactor=1.0)))
        gl_meshes.append(pygltflib.Mesh(name=name, primitives=[pygltflib.Primitive(
            attributes=pygltflib.Attributes(POSITION=position), indices=indices, material=n)]))
        nodes.append(pygltflib.Node(name=name, mesh=n))
    document = pygltflib.GLTF2(
        asset=pygltflib.Asset(version="2.0", generator="geoportail plans.reglement", extras={
            "crs": f"EPSG:{srid}", "origin_lambert": [x0, y0, 0.0],
            "axes": "x = east - origin x, y = height above ground, z = -(north - origin y); metres",
            "note": content.get("number")}),
        scene=0, scenes=[pygltflib.Scene(nodes=list(range(len(nodes))))], nodes=nodes, meshes=gl_meshes,
        materials=materials, accessors=accessors, bufferViews=views, buffers=[pygltflib.Buffer(byteLength=len(blob))])
    document.set_binary_blob(blob)
    return b"".join(document.save_to_bytes())


def cityjson(content, land):
    """The envelope as a CityJSON 2.0 document (dict), vertices in millimetres from the origin."""
    x0, y0 = origin(land)
    vertices, index = [], {}

    def vertex(x, y, z):
        key = (round((x - x0) * 1000), round((y - y0) * 1000), round(z * 1000))
        if key not in index:
            index[key] = len(vertices)
            vertices.append(list(key))
        return index[key]

    def ring(coords, z, reverse=False):
        points = [vertex(x, y, z) for x, y in coords[:-1]]
        return points[::-1] if reverse else points

    objects = {}
    for name, prisms, height, ground in solids(content):
        shells = []
        for polygon, z0, z1 in prisms:
            for part in _polygons(polygon):
                rings = _rings(part)
                surfaces = [[ring(r, z0, reverse=True) for r in rings],  # bottom, facing down
                            [ring(r, z1) for r in rings]]  # top, facing up
                for r in rings:
                    for (xa, ya), (xb, yb) in zip(r, r[1:]):
                        surfaces.append([[vertex(xa, ya, z0), vertex(xb, yb, z0), vertex(xb, yb, z1),
                                          vertex(xa, ya, z1)]])
                shells.append([surfaces])
        geometry = ([{"type": "Solid", "lod": "1", "boundaries": shells[0]}] if len(shells) == 1 else
                    [{"type": "MultiSolid", "lod": "1", "boundaries": shells}])
        zone = name.removeprefix("envelope-")
        objects[name] = {"type": "GenericCityObject", "geometry": geometry,
                         "attributes": {"zone": zone, "max_height_m": height, "footprint_m2": round(ground, 2),
                                        "what": "enveloppe constructible maximale (plans.reglement)"}}
    objects["parcel"] = {"type": "LandUse", "attributes": {"title_number": (content.get("parcel") or {})
                                                           .get("title_number"), "area_m2": round(land.area, 2)},
                         "geometry": [{"type": "MultiSurface", "lod": "0", "boundaries": [
                             [ring(r, 0.0) for r in _rings(part)] for part in _polygons(land)]}]}
    xs = [v[0] for v in vertices] or [0]
    ys = [v[1] for v in vertices] or [0]
    zs = [v[2] for v in vertices] or [0]
    return {
        "type": "CityJSON", "version": "2.0",
        "transform": {"scale": [0.001, 0.001, 0.001], "translate": [x0, y0, 0.0]},
        "metadata": {"referenceSystem": f"https://www.opengis.net/def/crs/EPSG/0/{content['srid']}",
                     "identifier": content.get("number") or "", "title": "Enveloppe constructible",
                     "geographicalExtent": [x0 + min(xs) / 1000, y0 + min(ys) / 1000, min(zs) / 1000,
                                            x0 + max(xs) / 1000, y0 + max(ys) / 1000, max(zs) / 1000]},
        "CityObjects": objects,
        "vertices": vertices,
    }


def cityjson_bytes(content, land):
    return json.dumps(cityjson(content, land), ensure_ascii=False, separators=(",", ":")).encode()


NEIGHBOURS_M = 40.0  # how far around the lot the 3D page draws the other parcels
MAX_NEIGHBOURS = 200


def neighbours(land, srid):
    """Exterior rings [[(x, y)…]…] (Lambert) of the parcels within NEIGHBOURS_M of `land`, the land left out."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "WITH l AS (SELECT ST_Transform(ST_GeomFromWKB(%(land)s, %(srid)s), 4326) AS g) "
            "SELECT ST_AsBinary(ST_Transform(p.geom, %(srid)s)) FROM plans_parcel p, l "
            "WHERE p.geom && ST_Expand(l.g, %(deg)s) AND NOT ST_Equals(p.geom, l.g) "
            "AND ST_Area(ST_Intersection(ST_Transform(p.geom, %(srid)s), ST_Transform(l.g, %(srid)s))) < 1 "
            "LIMIT %(limit)s",
            {"land": shapely.to_wkb(land), "srid": srid, "deg": NEIGHBOURS_M / 111_000, "limit": MAX_NEIGHBOURS})
        rows = cursor.fetchall()
    out = []
    for (wkb,) in rows:
        for polygon in _polygons(shapely.from_wkb(bytes(wkb))):
            out.append([(round(x, 2), round(y, 2)) for x, y in polygon.exterior.coords])
    return out


def scene(content, land):
    """What the 3D view draws besides the glTF (frontend/static/frontend/envelope3d.js): the origin, the CRS,
    the neighbours' rings relative to the origin (metres) and the highest height."""
    x0, y0 = origin(land)
    rings = neighbours(land, content["srid"])
    return {"origin": [x0, y0], "srid": content["srid"], "number": content.get("number"),
            "neighbours": [[[round(x - x0, 2), round(y - y0, 2)] for x, y in ring] for ring in rings],
            "max_height_m": (content.get("buildable") or {}).get("max_height_m")}
