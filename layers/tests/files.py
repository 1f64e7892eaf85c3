"""Files as agencies deliver them, written with GDAL from the sample generator's shapes (Lambert metres)."""
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import shapely

# Real third-party datasets copied into the repository (tests/data/real/README.md: sources, licences).
REAL = Path(__file__).resolve().parents[2] / "tests" / "data" / "real"


def real(folder, tmp_path, pattern="*"):
    """Copy real dataset files (read-only originals) into tmp_path; returns the copy's folder."""
    target = tmp_path / folder
    target.mkdir(parents=True, exist_ok=True)
    for path in (REAL / folder).glob(pattern):
        shutil.copyfile(path, target / path.name)
    return target


def in_force_plan(dataset, agency="AUT"):
    spec = next(a for a in dataset.agencies if a.code == agency)
    return spec, next(p for p in spec.plans if p.status == "approved")


def write_layer(path, geometries, fields, srid, layer="zones", driver="GPKG", geometry_type="MultiPolygon"):
    """Write shapely `geometries` with {name: list of values} to `path` in EPSG:`srid`."""
    names = list(fields)
    arrays = [np.array(fields[n], dtype=object) for n in names]
    wkb = shapely.to_wkb(np.array(geometries, dtype=object))
    pyogrio.raw.write(str(path), wkb, arrays, names, layer=layer, driver=driver, geometry_type=geometry_type,
                      crs=f"EPSG:{srid}", encoding="UTF-8")
    return path


def multi(geom):
    return shapely.MultiPolygon([geom]) if geom.geom_type == "Polygon" else geom


def zones_gpkg(dataset, path, extra_codes=()):
    """The in-force Tétouan plan's zones as a consultant GeoPackage (fields CODE, LIBELLE, COS)."""
    spec, plan = in_force_plan(dataset)
    geoms = [multi(g) for _c, g in plan.zones]
    codes = [c for c, _g in plan.zones]
    for i, code in enumerate(extra_codes):
        codes[i] = code
    labels = [f"Zone {c} — منطقة" for c in codes]
    return write_layer(path, geoms, {"CODE": codes, "LIBELLE": labels, "COS": ["1,5"] * len(codes)}, spec.srid)


def zip_files(path, files, names=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, f in enumerate(files):
            archive.write(f, names[i] if names else Path(f).name)
    return path


def servitudes_gpkg(dataset, path):
    """The in-force Tétouan plan's servitudes (lines with widths, polygons) with French kind names."""
    spec, plan = in_force_plan(dataset)
    kinds = {"planned_road": "VOIE PROJETEE", "road_widening": "ELARGISSEMENT"}
    rows = plan.servitudes
    return write_layer(path, [s.geom for s in rows], {
        "NATURE": [kinds.get(s.kind, s.kind) for s in rows], "CODE": [s.code for s in rows],
        "LIBELLE": [s.label_fr for s in rows], "LARGEUR": [s.width for s in rows],
    }, spec.srid, layer="servitudes", geometry_type="Unknown")
