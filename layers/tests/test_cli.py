"""manage.py publish_layer: the same workflow from the command line, with clear errors."""
import io

import pytest
from django.core.management import CommandError, call_command

from plans.models import PlanDocument

from .files import real, zones_gpkg

pytestmark = pytest.mark.django_db


def _call(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("publish_layer", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_upload_validate_publish_and_roll_back(publisher, plan_in_force, tmp_path, sample_dataset):
    path = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    out = _call("upload", str(path), "--agency", "AUT", "--target", "zones", "--plan", str(plan_in_force.pk),
                "--mapping", '{"code": "CODE", "label_fr": "LIBELLE", "cos": "COS"}', "--user", "pub-aut",
                "--publish", "--acknowledge-warnings")
    assert "EPSG:26191" in out and "validation: 0 error(s)" in out and "published: plan" in out
    assert PlanDocument.objects.get(pk=plan_in_force.pk).live_revision == 2
    out = _call("versions", "--plan", str(plan_in_force.pk))
    assert "* revision 2" in out and "zones.gpkg" in out
    out = _call("rollback", "--plan", str(plan_in_force.pk), "--revision", "1", "--user", "pub-aut")
    assert "revision 1 is live again (was 2)" in out


def test_cli_errors_are_command_errors(publisher, editor, plan_in_force, tmp_path):
    path = real("us-forestcity-nc", tmp_path, "parcels.topojson") / "parcels.topojson"
    with pytest.raises(CommandError, match="declares no coordinate system"):
        _call("upload", str(path), "--agency", "AUT", "--target", "parcels", "--user", "pub-aut")
    with pytest.raises(CommandError, match="no such file"):
        _call("upload", str(tmp_path / "nope.gpkg"), "--agency", "AUT", "--target", "parcels", "--user", "pub-aut")
    with pytest.raises(CommandError, match="not publisher of agency AUT"):
        _call("rollback", "--plan", str(plan_in_force.pk), "--revision", "1", "--user", "edit-aut")


def test_grant_and_token(publisher, aug):
    out = _call("grant", "pub-aut", "AUG", "viewer")
    assert "viewer of AUG" in out
    key = _call("token", "pub-aut").strip()
    assert len(key) > 30


def test_the_tolerance_is_chosen_per_upload_on_the_command_line(publisher, plan_in_force, tmp_path, sample_dataset):
    from layers.records import LayerUpload

    path = zones_gpkg(sample_dataset, tmp_path / "zones.gpkg")
    _call("upload", str(path), "--agency", "AUT", "--target", "zones", "--plan", str(plan_in_force.pk),
          "--mapping", '{"code": "CODE"}', "--user", "pub-aut", "--tolerance-m2", "25")
    upload = LayerUpload.objects.latest("created_at")
    assert upload.tolerance_m2 == 25.0 and upload.report["tolerance_m2"] == 25.0
    with pytest.raises(CommandError, match="between 0 and 500"):
        _call("upload", str(path), "--agency", "AUT", "--target", "zones", "--plan", str(plan_in_force.pk),
              "--user", "pub-aut", "--tolerance-m2", "9999")
