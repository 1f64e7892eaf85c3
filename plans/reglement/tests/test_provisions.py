"""Rules as data: provisions validated (naming the provision), migrated from flat fields with nothing lost,
summed up into the flat columns, imported and exported as JSON and CSV (one row per provision)."""
import json
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from data.rules import CONDITIONAL, RULES
from plans.models import PlanDocument, Provision, ZoneRule
from plans.reglement import flat, interchange, provisions, validation

pytestmark = pytest.mark.django_db


def _row(subject, expression, unit, **extra):
    return {"subject": subject, "expression": expression, "unit": unit, **extra}


def test_flat_fields_become_provisions_and_come_back_unchanged():
    """Migration 0010's mapping: for every rule of the sample règlement, from_flat then summary is the identity."""
    for spec in RULES.values():
        road, side, rear = spec.setbacks
        values = {"max_height_m": spec.height, "max_floors": spec.floors, "cos": spec.cos, "ces": spec.ces,
                  "min_lot_area_m2": spec.min_lot, "min_frontage_m": spec.frontage, "setback_road_m": road,
                  "setback_side_m": side, "setback_rear_m": rear, "allowed_uses": list(spec.allowed),
                  "forbidden_uses": list(spec.forbidden), "parking_fr": spec.parking_fr, "parking_ar": spec.parking_ar}
        rows = flat.from_flat(values)
        assert validation.check_all(rows) == [], spec.code
        back = flat.summary(rows)
        for name, value in values.items():
            expected = sorted(value) if isinstance(value, list) else value
            got = back[name]
            assert (got == pytest.approx(expected) if isinstance(expected, float) else got == expected), (spec.code, name)


def test_sample_rules_hold_their_conditional_provisions_and_a_matching_summary(aut):
    plan = PlanDocument.objects.get(agency=aut, status="approved")
    b3 = ZoneRule.objects.get(plan=plan, code="B3")
    heights = sorted((p.expression, p.road_width_min, p.road_width_max)
                     for p in b3.provisions.filter(subject="max_height"))
    assert heights == [("11.5", None, 15), ("14.5", 15, None)]
    # The flat columns are the provisions' summary: the most the zone allows, the least it asks.
    assert float(b3.max_height_m) == 14.5 and b3.max_floors == 3 and float(b3.ces) == 1.0
    assert float(b3.setback_rear_m) == 4.0
    for rule in ZoneRule.objects.filter(plan=plan).prefetch_related("provisions"):
        assert validation.check_all(provisions.rows_of(rule)) == [], rule.code
        assert {p.subject for p in rule.provisions.all()} >= {"cos", "allowed_uses"}, rule.code
        assert all(p.article and p.paragraph for p in rule.provisions.all())
    assert set(CONDITIONAL) - {"I"} <= set(ZoneRule.objects.filter(plan=plan).values_list("code", flat=True))


@pytest.mark.parametrize("rows, words", [
    ([_row("max_height", "11.5", "m2")], "provision 1 (max_height): unit 'm2' does not fit max_height"),
    ([_row("ces", "1.4", "ratio")], "provision 1 (ces): 1.4 is outside the accepted range 0–1"),
    ([_row("max_height", "height + 2", "m")], "max_height cannot depend on height"),
    ([_row("setback_rear", "max(H / 2, 4)", "m", article="Article 11")], "provision 1 (setback_rear, Article 11): "
                                                                          "unknown variable 'H'"),
    ([_row("max_height", "11", "m", road_width_min=20, road_width_max=12)], "road width range 20–12 is empty"),
    ([_row("max_height", "11", "m", floor_from=0)], "floor band only applies to CES, COS and upper_retreat"),
    ([_row("allowed_uses", "", "uses", uses=["casino"])], "unknown uses casino"),
    ([_row("max_height", "11.5", "m", road_width_max=15), _row("max_height", "14.5", "m", road_width_min=12)],
     "provision 2 (max_height) contradicts provision 1 (max_height): both apply to the same lots"),
    ([_row("cos", "2", "ratio"), _row("cos", "2", "ratio")], "provision 2 (cos) repeats provision 1 (cos)"),
    ([_row("allowed_uses", "", "uses", uses=["commerce"]), _row("forbidden_uses", "", "uses", uses=["commerce"])],
     "commerce both allowed and forbidden"),
])
def test_bad_provisions_are_refused_naming_the_provision(aut, rows, words):
    rule = ZoneRule.objects.filter(plan__agency=aut).first()
    before = provisions.rows_of(rule)
    with pytest.raises(ValidationError) as caught:
        provisions.replace(rule, [dict(r, position=n) for n, r in enumerate(rows, start=1)])
    assert any(words in m for m in caught.value.messages), caught.value.messages
    assert provisions.rows_of(rule) == before


def test_conditions_that_do_not_overlap_are_accepted():
    rows = [_row("max_height", "11.5", "m", road_width_max=15, position=1),
            _row("max_height", "14.5", "m", road_width_min=15, position=2),
            _row("max_height", "8", "m", corner=True, position=3),  # more specific: takes precedence
            _row("ces", "1", "ratio", floor_from=0, floor_to=0, position=4),
            _row("ces", "0.7", "ratio", floor_from=1, position=5)]
    assert validation.check_all([provisions.normalised(r, 0) for r in rows]) == []


def test_json_and_csv_round_trip_one_row_per_provision(aut):
    plan = PlanDocument.objects.get(agency=aut, status="approved")
    before = interchange.export_rows(plan)
    assert len(before) == Provision.objects.filter(rule__plan=plan).count()
    for text, fmt in ((interchange.to_json(plan), "json"), (interchange.to_csv(plan), "csv")):
        counts = interchange.import_rows(plan, interchange.read(text.encode(), fmt))
        assert sum(counts.values()) == len(before)
        assert interchange.export_rows(plan) == before, fmt
    assert len(interchange.to_csv(plan).strip().splitlines()) == len(before) + 1


def test_a_bad_import_changes_nothing_and_lists_every_problem(aut):
    plan = PlanDocument.objects.get(agency=aut, status="approved")
    before = interchange.export_rows(plan)
    text = interchange.to_csv(plan).replace("B3,1,cos,2.8,ratio", "B3,1,cos,2.8,m").replace(
        "D1,", "ZZ9,", 1)
    with pytest.raises(ValidationError) as caught:
        interchange.import_rows(plan, interchange.read(text, "csv"))
    assert any("zone ZZ9" in m for m in caught.value.messages)
    assert interchange.export_rows(plan) == before
    text = interchange.to_csv(plan).replace("B3,1,cos,2.8,ratio", "B3,1,cos,2.8,m")
    with pytest.raises(ValidationError) as caught:
        interchange.import_rows(plan, interchange.read(text, "csv"))
    assert any("rule B3: provision 1 (cos, Article 11 § 1): unit 'm'" in m for m in caught.value.messages), \
        caught.value.messages
    assert interchange.export_rows(plan) == before
    with pytest.raises(ValueError, match="line 2: corner 'peut-être'"):
        interchange.read("zone,subject,unit,corner\nB3,cos,ratio,peut-être\n", "csv")


def test_the_command_exports_and_imports_and_fails_without_a_traceback(aut, tmp_path, capsys):
    plan = PlanDocument.objects.get(agency=aut, status="approved")
    out = tmp_path / "r.json"
    call_command("reglement", "export", "--plan", plan.reference, "--plan-version", str(plan.version), "--output",
                 str(out))
    document = json.loads(out.read_text())
    assert document["plan"] == plan.reference and len(document["provisions"]) == len(interchange.export_rows(plan))
    document["provisions"][0]["expression"] = "__import__('os')"
    out.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("reglement", "import", str(out), "--plan", plan.reference, "--plan-version", str(plan.version))
    with pytest.raises(CommandError, match="no plan 'nope'"):
        call_command("reglement", "export", "--plan", "nope")


def test_admin_edits_provisions_inline_and_imports_a_reglement(aut, admin_client):
    plan = PlanDocument.objects.get(agency=aut, status="approved")
    rule = ZoneRule.objects.get(plan=plan, code="B4")
    page = admin_client.get(f"/admin/plans/zonerule/{rule.pk}/change/")
    assert page.status_code == 200 and b"provisions-TOTAL_FORMS" in page.content
    listing = admin_client.get(f"/admin/plans/plandocument/{plan.pk}/reglement.csv")
    assert listing.status_code == 200 and listing.content.decode().startswith("zone,position,subject")
    bad = listing.content.decode().replace("B4,4,ces,0.8,ratio", "B4,4,ces,1.8,ratio")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(f"/admin/plans/plandocument/{plan.pk}/reglement/",
                                 {"file": SimpleUploadedFile("r.csv", bad.encode())})
    assert response.status_code == 200
    assert "rule B4: provision 4 (ces, Article 12 § 4): 1.8 is outside the accepted range 0–1" in \
        response.content.decode()
    good = bad.replace("B4,4,ces,1.8,ratio", "B4,4,ces,0.6,ratio")
    response = admin_client.post(f"/admin/plans/plandocument/{plan.pk}/reglement/",
                                 {"file": SimpleUploadedFile("r.csv", good.encode())})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert float(rule.ces) == 0.6  # the summary follows the provisions
