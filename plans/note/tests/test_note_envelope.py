"""The note's 3D envelope read back by independent readers: glTF by trimesh and pygltflib, CityJSON 2.0 by
cityjson-lib (a strict CityJSON 2.0 parser) and cjio; heights and footprints within 1 cm of the note's figures."""
import io
import json
import subprocess
import sys

import numpy as np
import pygltflib
import pytest
import shapely
import trimesh
from shapely.geometry import shape

pytestmark = pytest.mark.django_db


def test_gltf_envelope_has_the_note_heights_and_footprints(issue_note, client):
    body = issue_note("TF 10009/19")
    part = body["content"]["buildable"]["parts"][0]
    footprint, height = shape(part["footprint_lambert"]), part["max_height_m"]
    response = client.get(f"/notes/{body['number']}/envelope.glb")
    assert response.status_code == 200 and response["Content-Type"] == "model/gltf-binary"
    data = response.content
    extras = pygltflib.GLTF2.load_from_bytes(data).asset.extras
    x0, y0, _z0 = extras["origin_lambert"]
    assert extras["crs"] == "EPSG:26191"
    loaded = trimesh.load(io.BytesIO(data), file_type="glb")
    mesh = loaded.geometry[f"envelope-{part['zone']}"]
    assert mesh.is_watertight and mesh.volume > 0  # closed, faces outward
    (ex0, ey0, ez0), (ex1, ey1, ez1) = mesh.bounds
    assert ey0 == pytest.approx(0, abs=0.01) and ey1 == pytest.approx(height, abs=0.01)
    # Back to Lambert: x = E − x0, z = −(N − y0).
    minx, miny, maxx, maxy = footprint.bounds
    assert [ex0 + x0, -ez1 + y0, ex1 + x0, -ez0 + y0] == pytest.approx([minx, miny, maxx, maxy], abs=0.01)
    assert mesh.volume / height == pytest.approx(footprint.area, abs=0.01 * footprint.length)
    # The roof: the triangles at the top, back in Lambert, make the footprint polygon.
    roof = [tri for tri in mesh.triangles if np.allclose(tri[:, 1], height, atol=0.01)]
    polygon = shapely.union_all([shapely.Polygon([(x + x0, -z + y0) for x, _y, z in tri]) for tri in roof])
    assert polygon.area == pytest.approx(footprint.area, abs=0.01 * footprint.length)
    assert polygon.hausdorff_distance(footprint) < 0.01


def test_cityjson_envelope_is_valid_cityjson_2_with_the_note_figures(issue_note, client, tmp_path):
    import cityjson_lib

    body = issue_note("TF 10009/19")
    part = body["content"]["buildable"]["parts"][0]
    footprint, height = shape(part["footprint_lambert"]), part["max_height_m"]
    response = client.get(f"/notes/{body['number']}/envelope.city.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/city+json"
    model = cityjson_lib.CityModel.parse_document_bytes(response.content)  # refuses what is not CityJSON 2.0
    ids = model.cityobject_ids()
    assert set(ids) == {f"envelope-{part['zone']}", "parcel"}
    document = json.loads(response.content)
    assert document["version"] == "2.0"
    assert document["metadata"]["referenceSystem"].endswith("/EPSG/0/26191")
    solid = document["CityObjects"][f"envelope-{part['zone']}"]["geometry"][0]
    assert solid["type"] == "Solid"
    scale, translate = document["transform"]["scale"], document["transform"]["translate"]
    vertices = np.array(document["vertices"]) * scale + translate
    surfaces = solid["boundaries"][0]
    top = [s for s in surfaces if np.allclose(vertices[s[0], 2], height, atol=0.01)]
    assert len(top) == 1 and vertices[:, 2].max() == pytest.approx(height, abs=0.01)
    rings = [vertices[r][:, :2] for r in top[0]]
    polygon = shapely.Polygon(rings[0], rings[1:])
    assert polygon.area == pytest.approx(footprint.area, abs=0.01 * footprint.length)
    assert polygon.hausdorff_distance(footprint) < 0.01
    # A second, pure-Python reader, in its own process: cjio patches the json module's float encoder globally.
    path = tmp_path / "e.city.json"
    path.write_bytes(response.content)
    script = ("import json, sys; from cjio import cityjson; cm = cityjson.reader(open(sys.argv[1])); "
              "print(json.dumps({'ids': sorted(cm.j['CityObjects']), 'epsg': cm.get_epsg()}))")
    seen = json.loads(subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                                     check=True).stdout)
    assert seen == {"ids": sorted(ids), "epsg": 26191}


def test_3d_page_loads_three_from_our_static_files(issue_note, client):
    body = issue_note("TF 10009/19")
    page = client.get(f"/notes/{body['number']}/3d").content.decode()
    assert "/static/vendor/three/three.module.js" in page and "envelope.glb" in page
    assert "https://" not in page.split("<body>")[0].replace("https://www.opengis.net", "")
    assert client.get(f"/notes/NOPE-1/envelope.glb").status_code == 404
