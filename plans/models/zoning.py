"""The graphic part of a plan: zones with their rules, and servitudes."""
import re

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError

from ..crs import WGS84, lambert_to_storage, transform_shapely
from ..vocabulary import SERVITUDE_KINDS, use_choices
from .document import PlanDocument
from .geometry import check_geometry, valid_geometry_constraint


class ZoneRule(models.Model):
    """The article of the règlement d'aménagement that governs one zone code of a plan.

    Heights and setbacks in metres, areas in m², COS and CES as ratios
    (floor area / lot area and footprint / lot area).
    """

    plan = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(max_length=20, help_text='Zone code as on the plan: "B3", "R+4", "D1", "EV"…')
    label_fr = models.CharField(max_length=200)
    label_ar = models.CharField(max_length=200)
    allowed_uses = ArrayField(models.CharField(max_length=40, choices=use_choices()), default=list, blank=True)
    forbidden_uses = ArrayField(models.CharField(max_length=40, choices=use_choices()), default=list, blank=True)
    max_height_m = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    max_floors = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Floors above ground: R+4 → 4")
    cos = models.DecimalField("COS", max_digits=5, decimal_places=2, null=True, blank=True)
    ces = models.DecimalField("CES", max_digits=4, decimal_places=2, null=True, blank=True)
    min_lot_area_m2 = models.PositiveIntegerField(null=True, blank=True)
    min_frontage_m = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    setback_road_m = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    setback_side_m = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    setback_rear_m = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    parking_fr = models.CharField(max_length=300, blank=True, help_text="e.g. 1 place par logement")
    parking_ar = models.CharField(max_length=300, blank=True)
    article_fr = models.TextField(blank=True)
    article_ar = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="zone_rule_code_unique_per_plan"),
            models.CheckConstraint(condition=models.Q(ces__gte=0, ces__lte=1) | models.Q(ces__isnull=True),
                                   name="zone_rule_ces_ratio"),
            models.CheckConstraint(condition=models.Q(cos__gte=0, cos__lte=20) | models.Q(cos__isnull=True),
                                   name="zone_rule_cos_range"),
        ]

    def __str__(self):
        return f"{self.code} — {self.label_fr}"

    def clean(self):
        overlap = set(self.allowed_uses) & set(self.forbidden_uses)
        if overlap:
            raise ValidationError({"forbidden_uses": f"uses both allowed and forbidden: {', '.join(sorted(overlap))}"})


class LiveRevisionQuerySet(models.QuerySet):
    def live(self):
        """Rows of the revision each plan currently publishes (PlanDocument.live_revision)."""
        return self.filter(revision=models.F("plan__live_revision"))


class Zone(models.Model):
    """A zone of a plan, drawn as a (multi)polygon, governed by the rule of its code."""

    objects = LiveRevisionQuerySet.as_manager()

    plan = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="zones")
    code = models.CharField(max_length=20)
    rule = models.ForeignKey(ZoneRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="zones")
    revision = models.PositiveIntegerField(default=1, help_text="Publication revision of the plan's layers.")
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        ordering = ["plan", "code", "id"]
        constraints = [valid_geometry_constraint("geom", "zone_geom_valid")]
        indexes = [models.Index(fields=["plan", "revision", "code"])]

    def __str__(self):
        return f"Zone {self.code} ({self.plan.reference} v{self.plan.version})"

    def clean(self):
        check_geometry(self.geom, f"zone {self.code}")
        if self.rule_id and (self.rule.plan_id != self.plan_id or self.rule.code != self.code):
            raise ValidationError({"rule": f"rule {self.rule.code} of plan {self.rule.plan_id} does not govern zone "
                                           f"{self.code} of plan {self.plan_id}"})


# The kinds and their French names come from plans.vocabulary (ServitudeKind.ROAD == "road"…).
ServitudeKind = models.TextChoices("ServitudeKind", [(kind.upper(), (kind, names[0]))
                                                     for kind, names in SERVITUDE_KINDS.items()])


# Kinds whose area is lost to the parcel owner (taken by the public domain).
TAKING_KINDS = (ServitudeKind.PLANNED_ROAD, ServitudeKind.ROAD_WIDENING, ServitudeKind.EQUIPMENT,
                ServitudeKind.GREEN_SPACE, ServitudeKind.ROAD)
EQUIPMENT_LETTERS = {
    "E": ("École", "مدرسة"),
    "C": ("Collège", "إعدادية"),
    "L": ("Lycée", "ثانوية"),
    "M": ("Mosquée", "مسجد"),
    "S": ("Santé", "مؤسسة صحية"),
    "A": ("Administration", "إدارة"),
    "SP": ("Sport", "رياضة"),
    "P": ("Parking", "موقف سيارات"),
    "PL": ("Place publique", "ساحة عمومية"),
    "MA": ("Marché", "سوق"),
}
_EQUIPMENT_CODE = re.compile(r"^(?P<letter>[A-Z]{1,2})\s*(?P<number>\d+)$")


class Servitude(models.Model):
    """An overlay of a plan: planned road, equipment reservation, protected perimeter…

    `geom` is what the plan draws (a polygon, or a line with `width_m`);
    `footprint` is the area it covers on the ground, in lon/lat: the polygon
    itself, or the line buffered by half its width in the plan's Lambert CRS.
    """

    Kind = ServitudeKind
    objects = LiveRevisionQuerySet.as_manager()

    plan = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="servitudes")
    kind = models.CharField(max_length=20, choices=ServitudeKind.choices)
    code = models.CharField(max_length=30, blank=True, help_text='e.g. "M12" for a mosque reservation, "RN2"')
    label_fr = models.CharField(max_length=200)
    label_ar = models.CharField(max_length=200, blank=True)
    width_m = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True,
                                  help_text="Planned width of a road or corridor, in metres.")
    rule_fr = models.TextField(blank=True)
    rule_ar = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1, help_text="Publication revision of the plan's layers.")
    geom = models.GeometryField(srid=4326)
    footprint = models.MultiPolygonField(srid=4326)

    class Meta:
        ordering = ["plan", "kind", "code"]
        constraints = [
            valid_geometry_constraint("geom", "servitude_geom_valid"),
            valid_geometry_constraint("footprint", "servitude_footprint_valid"),
        ]
        indexes = [models.Index(fields=["plan", "revision", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}".strip()

    @property
    def equipment_letter(self):
        match = _EQUIPMENT_CODE.match(self.code or "")
        return match.group("letter") if match and self.kind == ServitudeKind.EQUIPMENT else None

    def clean(self):
        check_geometry(self.geom, f"servitude {self.code or self.kind}")
        if self.geom.geom_type in ("LineString", "MultiLineString") and not self.width_m:
            raise ValidationError({"width_m": f"servitude {self.code or self.kind} is a line: give its width in metres"})
        if self.kind == ServitudeKind.EQUIPMENT and not _EQUIPMENT_CODE.match(self.code or ""):
            raise ValidationError({"code": f"equipment reservation code {self.code!r} should be a letter and a "
                                           f"number, e.g. M12 or SP3"})

    def save(self, *args, **kwargs):
        self.footprint = compute_footprint(self.geom, self.width_m, self.plan.srid)
        super().save(*args, **kwargs)


class ServitudePiece(models.Model):
    """A piece of a servitude's footprint (lon/lat, at most PIECE_VERTICES vertices), kept by the database.

    A road widening or a non-aedificandi band can be one footprint of 90,000 vertices whose box covers a whole
    district: every note's `&&` would match it and detoast it. Its pieces (ST_Subdivide) have small boxes, so
    the note and the envelope find the few servitudes that reach the land through this table's index
    (plans.note.overlay, plans.reglement.site). Triggers of migration 0015 write them on every INSERT, UPDATE
    of footprint and DELETE of a servitude, whoever writes (ORM, publishing's SQL, the loader).
    """

    PIECE_VERTICES = 256
    # No foreign key in the database: a DELETE of servitudes (ORM or SQL) is followed by the trigger, and
    # flush truncates both tables together.
    servitude = models.ForeignKey(Servitude, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    geom = models.GeometryField(srid=4326)

    class Meta:
        db_table = "plans_servitude_piece"


def lambert_footprint(geom, width_m):
    """Ground area of a servitude drawn in Lambert (shapely, metres): lines buffered by width/2, flat ends."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    return geom.buffer(float(width_m) / 2, cap_style="flat")


def compute_footprint(geom, width_m, lambert_srid):
    """The ground area of a stored (lon/lat) servitude geometry as a lon/lat MultiPolygon.

    Lines are buffered in `lambert_srid` through the pinned transformation of
    plans.crs. Loaders that have the Lambert original should buffer that with
    lambert_footprint() instead: every Lambert -> lon/lat -> Lambert round trip
    moves points by ~2 mm (the datum shift drops ellipsoidal heights).
    """
    import shapely
    from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        shape = geom.clone()
    else:
        lambert = transform_shapely(shapely.from_wkb(bytes(geom.wkb)), geom.srid, lambert_srid)
        strip = lambert_to_storage(lambert_footprint(lambert, width_m), lambert_srid)
        shape = GEOSGeometry(memoryview(shapely.to_wkb(strip)), srid=WGS84)
    if shape.geom_type == "Polygon":
        shape = MultiPolygon(shape, srid=WGS84)
    return shape
