"""Fixtures of the extract tests: the sample data as an oracle, and helpers to fetch extracts."""
import io
import zipfile

import pytest
import shapely


@pytest.fixture(scope="session")
def tetouan(sample_dataset):
    """The Tétouan agency spec of the generator (Lambert EPSG:26191 shapely geometries)."""
    agency = sample_dataset.agencies[0]
    assert agency.code == "AUT" and agency.srid == 26191
    return agency


@pytest.fixture(scope="session")
def plan_in_force(tetouan):
    """The generator's v2 plan of Tétouan, the one approved and in force today."""
    plan = next(p for p in tetouan.plans if p.version == 2)
    assert plan.status == "approved"
    return plan


@pytest.fixture(scope="session")
def parcel_box(tetouan):
    """A 120 m × 100 m box (Lambert) around parcel TF 10001/19: (minx, miny, maxx, maxy)."""
    index = list(tetouan.parcel_titles).index("TF 10001/19")
    centre = tetouan.parcel_geoms[index].centroid
    return (round(centre.x) - 60, round(centre.y) - 50, round(centre.x) + 60, round(centre.y) + 50)


def extract(client, **params):
    """GET /api/extracts with `params`; asserts a 200 and returns the response."""
    response = client.get("/api/extracts", params)
    assert response.status_code == 200, response.content[:500]
    return response


def unzip(content, directory):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(directory)
        return archive.namelist()


def oracle_zones(plan, area):
    """(code, Lambert polygon) of the generator's zones of `plan` that intersect `area` (shapely)."""
    return [(code, polygon) for code, polygon in plan.zones if polygon.intersects(area)
            and not shapely.intersection(polygon, area).is_empty and polygon.intersection(area).area > 0]


def lambert_bbox(bbox):
    """The API parameters of a bbox given in Lambert (EPSG:26191) metres."""
    return {"bbox": ",".join(str(v) for v in bbox), "area-crs": "EPSG:26191"}
