"""The 3D envelope: rounded footprints (repeated points, dust holes) never break the solids, and a stepped
envelope (upper floor stepped back, lower building beyond the depth band) reads back prism by prism, by
trimesh and pygltflib (glTF) and cityjson-lib (CityJSON 2.0), within 1 cm of figures worked on paper."""
import io

import cityjson_lib
import numpy as np
import pygltflib
import pytest
import shapely
import trimesh

from plans.reglement import envelope3d


def test_rounded_footprint_with_repeated_points_and_a_dust_hole_still_makes_closed_solids():
    shell = [(500000, 550000), (500012, 550000), (500012, 550000), (500012, 550015), (500000, 550015),
             (500000, 550000)]
    hole = [(500006, 550007), (500006.05, 550007), (500006.05, 550007.05), (500006, 550007)]  # 0.0025 m²
    footprint = shapely.Polygon(shell, [hole])
    land = shapely.box(499995, 549995, 500017, 550020)
    content = {"srid": 26191, "number": "T-1", "parcel": {"title_number": "TF 1/19"},
               "buildable": {"parts": [{"zone": "B4", "max_height_m": 11.5,
                                        "footprint_lambert": shapely.geometry.mapping(footprint)}]}}
    mesh = trimesh.load(io.BytesIO(envelope3d.gltf(content, land)), file_type="glb").geometry["envelope-B4"]
    assert mesh.is_watertight and abs(mesh.volume - 12 * 15 * 11.5) < 0.01
    document = envelope3d.cityjson(content, land)
    solid = document["CityObjects"]["envelope-B4"]["geometry"][0]
    assert solid["type"] == "Solid" and len(solid["boundaries"][0]) == 2 + 4  # bottom, top, four walls


def shells(mesh):
    """The connected pieces of `mesh` (faces joined by shared vertices), as meshes: a union-find, because
    trimesh's split wants a graph library this test does not need."""
    parent = list(range(len(mesh.vertices)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, c in mesh.faces:
        for other in (b, c):
            parent[root(other)] = root(a)
    groups = {}
    for n, face in enumerate(mesh.faces):
        groups.setdefault(root(face[0]), []).append(n)
    return [mesh.submesh([faces], append=True) for faces in groups.values()]


def _stepped_content():
    """A note's content for the hand-worked deep B2 lot on a 20 m road: R+4 stepped back 2 m, 4 m beyond the band."""
    from plans.reglement.buildable import as_content
    from plans.reglement.tests.test_hand_worked import lot, run, south_road

    land = lot(0, 0, 12, 40)
    env = run(land, [("B2", land)], [south_road(20)])
    content = {"srid": 26191, "number": "T-2", "parcel": {"title_number": "TF 2/19"},
               "buildable": as_content(env, 26191)}
    return content, land


# Within the band (12 m × 15 m): levels 0–3 full, R+4 2 m back from the façade; beyond it 12 m × 20 m (rear
# setback 5 m), 4 m high. Worked on paper: (footprint m², z from, z to).
STEPPED = [(180.0, 0.0, 14.0), (156.0, 14.0, 17.5), (240.0, 0.0, 4.0)]


def flat(prisms):
    return [v for prism in sorted(prisms) for v in prism]


def test_stepped_envelope_reads_back_prism_by_prism_within_a_centimetre():
    content, land = _stepped_content()
    (part,) = content["buildable"]["parts"]
    assert [(round(shapely.geometry.shape(v["footprint_lambert"]).area, 2), v["z_from_m"], v["z_to_m"])
            for v in part["volumes"]] == STEPPED
    data = envelope3d.gltf(content, land)
    x0, y0, _ = pygltflib.GLTF2.load_from_bytes(data).asset.extras["origin_lambert"]
    mesh = trimesh.load(io.BytesIO(data), file_type="glb", process=False).geometry["envelope-B2"]
    bodies = shells(mesh)
    assert all(body.is_watertight for body in bodies)
    seen = []
    for body in bodies:
        (bx0, by0, bz0), (bx1, by1, bz1) = body.bounds
        seen.append((round(body.volume / (by1 - by0), 2), round(by0, 2), round(by1, 2)))
        # Lambert back from glTF's axes: x = E − x0, z = −(N − y0); every prism inside the lot.
        assert land.buffer(0.01).contains(shapely.box(bx0 + x0, -bz1 + y0, bx1 + x0, -bz0 + y0))
    assert flat(seen) == pytest.approx(flat(STEPPED), abs=0.01)
    assert mesh.volume == pytest.approx(sum(a * (z1 - z0) for a, z0, z1 in STEPPED), abs=0.5)

    document = envelope3d.cityjson(content, land)
    cityjson_lib.CityModel.parse_document_bytes(envelope3d.cityjson_bytes(content, land))  # strict CityJSON 2.0
    geometry = document["CityObjects"]["envelope-B2"]["geometry"][0]
    assert geometry["type"] == "MultiSolid" and len(geometry["boundaries"]) == 3
    scale, translate = document["transform"]["scale"], document["transform"]["translate"]
    vertices = np.array(document["vertices"]) * scale + translate
    solids = []
    for solid in geometry["boundaries"]:
        surfaces = solid[0]
        zs = [vertices[ring, 2] for surface in surfaces for ring in surface]
        z0, z1 = min(z.min() for z in zs), max(z.max() for z in zs)
        top = [s for s in surfaces if np.allclose(vertices[s[0], 2], z1, atol=0.001)]
        rings = [vertices[r][:, :2] for r in top[0]]
        solids.append((round(shapely.Polygon(rings[0], rings[1:]).area, 2), round(z0, 2), round(z1, 2)))
    assert flat(solids) == pytest.approx(flat(STEPPED), abs=0.01)
    assert document["CityObjects"]["envelope-B2"]["attributes"]["max_height_m"] == 17.5
