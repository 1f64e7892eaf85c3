"""The 3D envelope from rounded footprints: repeated points and dust holes never break the solids."""
import io

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
