"""Where an extract is: the area asked for, resolved to one plan in force and a Lambert polygon.

The area is built in the plan's Lambert CRS (EPSG:26191/26192, metres): a
parcel's boundary, a drawn polygon or a bounding box, grown by the margin in
metres. Only approved plans in force on the requested date are ever used.
"""
import datetime
from dataclasses import dataclass

import shapely
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import connection
from django.utils import timezone

from plans import outlines
from geoportal.core.errors import InvalidParameter, NotFound
from plans.crs import WGS84
from plans.models import Agency, Parcel, PlanDocument
from plans.selectors import parcel_by_title


@dataclass
class ExtractArea:
    """The resolved extract: its plan, its area in the plan's Lambert CRS and in lon/lat."""

    plan: PlanDocument
    lambert: GEOSGeometry  # Polygon/MultiPolygon in plan.srid, metres
    wgs84: GEOSGeometry
    on: datetime.date
    parcel: Parcel | None = None

    @property
    def srid(self):
        return self.plan.srid

    @property
    def area_m2(self):
        return self.lambert.area

    @property
    def label(self):
        """A short name for file names: the parcel title, or the plan reference."""
        return self.parcel.title_number if self.parcel else self.plan.reference


def resolve(request):
    """The ExtractArea of an ExtractRequest; raises NotFound/InvalidParameter saying why not."""
    on = request.date or timezone.localdate()
    parcel = drawn = None
    if request.parcel:
        parcel = _parcel(request.parcel, request.agency)
        shape, agencies = parcel.geom, [parcel.agency]
    else:
        drawn = _drawn_area(request)
        shape = transform(drawn, WGS84)
        agencies = list(Agency.objects.filter(jurisdiction__intersects=shape))
        if not agencies:
            raise InvalidParameter(
                f"the area {shape.extent} (EPSG:{request.area_crs}) lies outside every urban agency's territory; "
                "if these are Lambert coordinates, add area-crs=EPSG:26191 (north) or EPSG:26192 (south)",
                "area-crs")
    plan = _plan_in_force(shape, agencies, request.plan, on)
    lambert = drawn if drawn is not None and drawn.srid == plan.srid else transform(shape, plan.srid)
    if request.margin:
        lambert = lambert.buffer(request.margin)
    return ExtractArea(plan=plan, lambert=lambert, wgs84=transform(lambert, WGS84), on=on, parcel=parcel)


def transform(geom, srid):
    """`geom` transformed to EPSG:`srid` by PostGIS, with the datum shift every query here uses.

    (GEOS/GDAL's own transform may pick another Merchich operation: millimetres
    apart, enough to move an extract boundary off the source coordinates.)
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_AsBinary(ST_Transform(ST_GeomFromWKB(%s, %s), %s))",
                       [geom.wkb.tobytes(), geom.srid, srid])
        return GEOSGeometry(memoryview(cursor.fetchone()[0]), srid=srid)


def _parcel(title, agency_code):
    return parcel_by_title(title, agency_code, "parcel")


def _drawn_area(request):
    if request.bbox:
        shape = Polygon.from_bbox(request.bbox)
    else:
        # Read by plans.outlines, not GDAL: a GeoJSON "crs" or an odd type cannot reach a geometry library.
        shape = GEOSGeometry(memoryview(shapely.to_wkb(outlines.from_text(request.polygon, "polygon"))))
        if shape.geom_type not in ("Polygon", "MultiPolygon"):
            raise InvalidParameter(f"polygon is a {shape.geom_type}; draw a Polygon or MultiPolygon", "polygon")
        if not shape.valid:
            raise InvalidParameter(f"polygon is invalid ({shape.valid_reason}); redraw it without self-intersections",
                                   "polygon")
    shape.srid = request.area_crs
    if request.area_crs == WGS84:
        minx, miny, maxx, maxy = shape.extent
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise InvalidParameter(
                f"coordinates {shape.extent} are not longitudes/latitudes; if they are Lambert metres, add "
                "area-crs=EPSG:26191 (north) or EPSG:26192 (south)", "area-crs")
    return shape


def _plan_in_force(shape, agencies, reference, on):
    plans = PlanDocument.objects.in_force(on).filter(agency__in=agencies, perimeter__intersects=shape)
    if reference:
        plans = plans.filter(reference=reference)
    found = list(plans.select_related("agency").order_by("reference", "-version")[:10])
    if not found:
        which = f"plan {reference!r}" if reference else "no approved plan"
        raise NotFound(f"{which} in force on {on.isoformat()} covers this area; drafts and plans under public "
                       "inquiry are not extracted", "plan")
    if len({plan.reference for plan in found}) > 1:
        raise InvalidParameter("several plans in force cover this area (" + ", ".join(
            sorted({p.reference for p in found})) + "); choose one with plan=REFERENCE", "plan")
    return found[0]
