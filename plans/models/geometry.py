"""Shared geometry rules: validity checks with readable messages, Lambert areas."""
from django.core.exceptions import ValidationError
from django.db import models


def valid_geometry_constraint(field, name):
    """A CHECK constraint refusing invalid geometries at the database level."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isvalid": True}),
        name=name,
        violation_error_message=f"{field} is not a valid geometry",
    )


def check_geometry(geom, what):
    """Raise ValidationError naming what is wrong with `geom` (a GEOSGeometry).

    `what` names the object in the message ("zone B3", "parcel TF 12/19").
    """
    if geom is None:
        raise ValidationError({"geom": f"{what}: a geometry is required"})
    if geom.empty:
        raise ValidationError({"geom": f"{what}: the geometry is empty"})
    if not geom.valid:
        raise ValidationError(
            {"geom": f"{what}: invalid geometry ({geom.valid_reason}); repair it (e.g. ST_MakeValid) and try again"}
        )
    if geom.srid is None:
        raise ValidationError({"geom": f"{what}: the geometry has no SRID"})


class LambertArea(models.Func):
    """ST_Area(ST_Transform(geom, srid)) with a per-row SRID, in square metres.

    Use as LambertArea("geom", "agency__srid").
    """

    template = "ST_Area(ST_Transform(%(expressions)s))"
    output_field = models.FloatField()
    arg_joiner = ", "
