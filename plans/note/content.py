"""The content of a note: the overlay of the land with the plans in force, as a JSON-ready dict.

Areas in m² (rounded to the cm²), shares as fractions of the land's area, all
computed in the agency's Lambert CRS. Zone and servitude pieces smaller than
the sliver tolerance (both under NOTE_SLIVER_M2 m² and under NOTE_SLIVER_SHARE
of the land) are left out, and the tolerance is part of the content so that
the note prints it.
"""
from django.conf import settings
from django.db.models import Q

from plans.crs import DATUM_ACCURACY_M, SAHARA_SRIDS
from plans.models import PlanDocument, ZoneRule
from plans.models.document import PlanStatus
from plans.models.zoning import EQUIPMENT_LETTERS, TAKING_KINDS, ServitudeKind
from plans.reglement import buildable
from plans.vocabulary import servitude_kind_label, use_labels

from .overlay import overlay
from .wording import warning

RULE_FIELDS = ("max_height_m", "max_floors", "cos", "ces", "min_lot_area_m2", "min_frontage_m", "setback_road_m",
               "setback_side_m", "setback_rear_m", "parking_fr", "parking_ar", "article_fr", "article_ar",
               "label_fr", "label_ar")


def tolerances():
    return {
        "sliver_m2": float(settings.NOTE_SLIVER_M2),
        "sliver_share": float(settings.NOTE_SLIVER_SHARE),
        "title_area_share": float(settings.NOTE_TITLE_AREA_TOLERANCE),
        "outside_m2": float(settings.NOTE_SLIVER_M2),
    }


def compute(land, on):
    """The content of a note about `land` (plans.note.land.Land) with the plans in force on date `on`."""
    agency = land.agency
    tol = tolerances()
    # Perimeters stay in the database: the overlay says which plans the land meets (plan_ids).
    plans = {p.id: p for p in PlanDocument.objects.in_force(on).filter(agency=agency).defer("perimeter")}
    found = overlay(land.geom, agency.srid, plans, TAKING_KINDS)
    area = found["area_m2"]

    def kept(piece):
        return piece >= tol["sliver_m2"] or piece / area >= tol["sliver_share"]

    zones = [z for z in found["zones"] or [] if kept(z["area_m2"])]
    servitudes = [s for s in found["servitudes"] or [] if kept(s["area_m2"])]
    met_plans = {z["plan_id"] for z in zones} | {s["plan_id"] for s in servitudes}
    if found["covered_m2"] and kept(found["covered_m2"]):
        met_plans |= set(found["plan_ids"])
    rules = ZoneRule.objects.in_bulk([z["rule_id"] for z in zones if z["rule_id"]])
    taken = min(found["taken_m2"] or 0.0, area)
    content = {
        "agency": {"code": agency.code, "name_fr": agency.name_fr, "name_ar": agency.name_ar,
                   "address_fr": agency.address_fr, "address_ar": agency.address_ar},
        "plans_date": on.isoformat(),
        "srid": agency.srid,
        "parcel": _parcel(land, found, area, tol),
        "plans": [_plan(plans[pid], found["revisions"]) for pid in sorted(met_plans)],
        "zones": [_zone(z, rules.get(z["rule_id"]), plans[z["plan_id"]], area) for z in zones],
        "servitudes": [_servitude(s, plans[s["plan_id"]], area) for s in servitudes],
        "buildable": {"taken_m2": _m2(taken), "remaining_m2": _m2(area - taken),
                      **buildable.as_content(buildable.run(land.geom, agency.srid, found["plan_ids"])[0],
                                             agency.srid)},
        "tolerances": tol,
        "geometry": _geojson(land.geom),
    }
    content["warnings"] = [{"code": "repaired", "fr": fr, "ar": ar} for fr, ar in land.repairs]
    content["warnings"] += _warnings(land, found, plans, met_plans, area, on, tol)
    return content


def _m2(value):
    return round(float(value), 2)


def _share(value, area):
    return round(float(value) / area, 6) if area else 0.0


def _parcel(land, found, area, tol):
    parcel = land.parcel
    communes = [c for c in found["communes"] or [] if c["area_m2"] >= tol["sliver_m2"]]
    out = {
        "title_number": parcel.title_number if parcel else None,
        "source": land.source,
        "communes": [{"code": c["code"], "name_fr": c["name_fr"], "name_ar": c["name_ar"],
                      "area_m2": _m2(c["area_m2"])} for c in communes],
        "area_m2": _m2(area),
        "centroid": [round(v, 2) for v in found["centroid"]],
        "bbox": [round(v, 2) for v in found["bbox"]],
        "area_on_title_m2": None,
        "area_difference_m2": None,
        "area_difference_share": None,
        "area_difference_exceeds_tolerance": False,
    }
    if parcel and parcel.area_on_title_m2 is not None:
        on_title = float(parcel.area_on_title_m2)
        diff = area - on_title
        out.update(area_on_title_m2=_m2(on_title), area_difference_m2=_m2(diff),
                   area_difference_share=_share(diff, on_title) if on_title else None,
                   area_difference_exceeds_tolerance=bool(on_title) and abs(diff) / on_title > tol["title_area_share"])
    return out


def _plan(plan, revisions):
    # revision: the publication revision of the plan's layers the overlay read; the map is drawn from it.
    return {
        "id": plan.id, "reference": plan.reference, "version": plan.version,
        "revision": revisions.get(str(plan.id), plan.live_revision), "kind": plan.kind,
        "kind_label": plan.get_kind_display(), "title_fr": plan.title_fr, "title_ar": plan.title_ar,
        "status": plan.status, "decree_reference": plan.decree_reference,
        "decree_date": _date(plan.decree_date), "effective_date": _date(plan.effective_date),
        "expiry_date": _date(plan.expiry_date), "scale_denominator": plan.scale_denominator,
    }


def _date(value):
    return value.isoformat() if value else None


def _number(value):
    return None if value is None else float(value)


def _zone(piece, rule, plan, area):
    out = {"plan": f"{plan.reference} v{plan.version}", "code": piece["code"], "area_m2": _m2(piece["area_m2"]),
           "share": _share(piece["area_m2"], area), "rule": None}
    if rule:
        values = {name: getattr(rule, name) for name in RULE_FIELDS}
        for name in ("max_height_m", "cos", "ces", "min_frontage_m", "setback_road_m", "setback_side_m",
                     "setback_rear_m"):
            values[name] = _number(values[name])
        values["allowed_uses"] = [{"code": u, "fr": fr, "ar": ar} for u, fr, ar in
                                  zip(rule.allowed_uses, use_labels(rule.allowed_uses), use_labels(rule.allowed_uses, "ar"))]
        values["forbidden_uses"] = [{"code": u, "fr": fr, "ar": ar} for u, fr, ar in
                                    zip(rule.forbidden_uses, use_labels(rule.forbidden_uses),
                                        use_labels(rule.forbidden_uses, "ar"))]
        out["rule"] = values
    return out


def _servitude(piece, plan, area):
    kind = ServitudeKind(piece["kind"])
    out = {"plan": f"{plan.reference} v{plan.version}", "kind": kind.value, "kind_fr": kind.label,
           "kind_ar": servitude_kind_label(kind.value, "ar"), "code": piece["code"], "label_fr": piece["label_fr"],
           "label_ar": piece["label_ar"], "width_m": _number(piece["width_m"]),
           "area_m2": _m2(piece["area_m2"]), "share": _share(piece["area_m2"], area),
           "takes_land": kind in TAKING_KINDS, "rule_fr": piece["rule_fr"], "rule_ar": piece["rule_ar"]}
    if kind == ServitudeKind.EQUIPMENT:
        letter = "".join(ch for ch in piece["code"] if ch.isalpha())
        fr, ar = EQUIPMENT_LETTERS.get(letter, ("", ""))
        out["equipment"] = {"letter": letter, "number": piece["code"][len(letter):], "fr": fr, "ar": ar}
    return out


def _geojson(geom):
    import json

    return json.loads(geom.json)


def _warnings(land, found, plans, met_plans, area, on, tol):
    out = []
    covered = min(found["covered_m2"] or 0.0, area)
    outside = area - covered
    if covered < tol["outside_m2"]:
        out.append(warning("outside_plans", area=area))
    elif outside >= tol["outside_m2"]:
        out.append(warning("partly_outside_plans", outside=outside, share=outside / area * 100))
    for plan in (plans[pid] for pid in sorted(met_plans)):
        if plan.expiry_date and (plan.expiry_date - on).days <= 180:
            out.append(warning("expires_soon", plan=plan.reference, version=plan.version, date=plan.expiry_date))
    # Plans under public inquiry and plans lapsed without a successor, in one query.
    lapsed = Q(expiry_date__lte=on, superseded_on__isnull=True, status__in=("approved", "expired"))
    others = list(PlanDocument.objects.filter(Q(status=PlanStatus.PUBLIC_INQUIRY) | lapsed, agency=land.agency,
                                              perimeter__intersects=land.geom).defer("perimeter"))
    for plan in (p for p in others if p.status == PlanStatus.PUBLIC_INQUIRY):
        out.append(warning("under_revision", plan=plan.reference, version=plan.version,
                           start=plan.inquiry_start, end=plan.inquiry_end))
    for plan in (p for p in others if p.status != PlanStatus.PUBLIC_INQUIRY):
        out.append(warning("plan_expired", plan=plan.reference, version=plan.version, date=plan.expiry_date))
    communes = [c for c in found["communes"] or [] if c["area_m2"] >= tol["sliver_m2"]]
    if len(communes) > 1:
        out.append(warning("crosses_communes", names=", ".join(c["name_fr"] for c in communes),
                           names_ar="، ".join(c["name_ar"] for c in communes)))
    agencies = [a for a in found["agencies"] or [] if a["area_m2"] >= tol["sliver_m2"]]
    inside = sum(a["area_m2"] for a in agencies if a["id"] == land.agency.id)
    if len(agencies) > 1 or area - inside >= tol["outside_m2"]:
        out.append(warning("crosses_agency", agency=land.agency.code, outside=max(area - inside, 0)))
    if land.agency.srid in SAHARA_SRIDS:
        out.append(warning("datum_accuracy", srid=land.agency.srid, metres=DATUM_ACCURACY_M[land.agency.srid]))
    return out
