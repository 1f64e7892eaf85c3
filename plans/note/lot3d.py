"""The 3D view of what can be built on a parcel or on a lot of several, before any note (GET /api/envelope;
the web map's panel shows it).

The note's engine and glTF (plans.reglement: the stepped envelope in the agency's Lambert CRS) run on the
land with the plans in force on the date asked, without issuing a note; the glTF travels inside the JSON
(base64, a few kB) so that the view is one request, beside the neighbours' rings that the 3D view draws flat
(frontend/static/frontend/envelope3d.js, the one scene code of the note and the map).
"""
import base64

from geoportal.core.errors import MissingParameter
from plans.reglement import buildable, envelope3d
from plans.selectors import plans_in_force

from .land import identify


def envelope_scene(titles, agency, on):
    """The scene of the lot made of land titles `titles` (text, comma-separated) of `agency` on date `on`."""
    if not (titles or "").strip(", ;\n"):
        raise MissingParameter("say which land: titles=TF 12345/19, or several adjacent titles separated by "
                               "commas (one lot, at most 20)", "titles")
    land = identify({"title_numbers": titles, "agency": agency})
    srid = land.agency.srid
    env, lambert = buildable.run(land.geom, srid, plans_in_force(on))
    numbers = [p.title_number for p in land.parcels] or [land.parcel.title_number]
    content = {"srid": srid, "number": None, "parcel": {"title_number": ", ".join(numbers)},
               "buildable": buildable.as_content(env, srid)}
    glb = envelope3d.gltf(content, lambert)
    figures = {k: content["buildable"][k] for k in ("max_height_m", "max_floors", "max_footprint_m2",
                                                     "max_floor_area_m2", "net_area_m2")}
    return envelope3d.scene(content, lambert) | figures | {
        "titles": numbers, "agency": land.agency.code, "date": on.isoformat(),
        "glb_base64": base64.b64encode(glb).decode()}
