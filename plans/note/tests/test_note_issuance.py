"""Issuance follow-ups: the map drawn from the revisions the note was computed from, the PDF rendered by a
background job, and the rate limit read through trusted proxies. Real PostGIS, real Redis and RQ."""
import json
import shutil
import subprocess

import django_rq
import pytest

from geoportal.core.jobs import QUEUE
from plans.models import IssuedNote, PlanDocument, Zone
from plans.note import jobs
from plans.note.render import draw_map
from plans.note.signing import sha256

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.NOTE_ANONYMOUS_RATE = ""


def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run `make system` (geoportal/bin/setup-system.sh installs it)")
    return path


def post(client, body, **extra):
    return client.post("/api/notes", json.dumps(body), content_type="application/json", **extra)


def _republish_with_code(plan, code):
    """Publish a new revision of `plan` where every zone has `code`, as the layers app does (old rows kept)."""
    revision = plan.live_revision + 1
    Zone.objects.bulk_create(Zone(plan=plan, code=code, rule=z.rule, revision=revision, geom=z.geom)
                             for z in Zone.objects.filter(plan=plan, revision=plan.live_revision))
    PlanDocument.objects.filter(pk=plan.pk).update(live_revision=revision)


def test_the_map_is_drawn_from_the_revisions_the_note_was_computed_from(client):
    body = post(client, {"title_number": "TF 11572/19"}).json()
    stored = body["content"]["plans"]
    plan = PlanDocument.objects.get(pk=stored[0]["id"])
    assert [p["revision"] for p in stored] == [plan.live_revision]
    zone_code = body["content"]["zones"][0]["code"]

    _republish_with_code(plan, "ZX9")  # between issuance and the first PDF

    note = IssuedNote.objects.get(number=body["number"])
    svg = draw_map(note)
    assert zone_code in svg and "ZX9" not in svg
    # The same note content drawn live would show the new revision: the check above can fail.
    live = {**note.content, "plans": [{k: v for k, v in p.items() if k != "revision"} for p in stored]}
    assert "ZX9" in draw_map(IssuedNote(content=live, land=note.land))
    pdf = client.get(f"/notes/{note.number}.pdf")
    assert pdf.status_code == 200
    assert "ZX9" not in IssuedNote.objects.get(pk=note.pk).map_svg


def test_the_pdf_is_rendered_by_a_background_job_after_issuance(client, tmp_path,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = post(client, {"title_number": "TF 10040/19"}).json()
    note = IssuedNote.objects.get(number=body["number"])
    assert not note.pdf_sha256, "the JSON answer does not wait for the PDF"
    job = django_rq.get_queue(QUEUE).fetch_job(jobs.job_id(note))
    assert job is not None, "issuance queues the PDF on RQ"
    assert job.perform() == IssuedNote.objects.get(pk=note.pk).pdf_sha256 != ""

    stored = IssuedNote.objects.get(pk=note.pk)
    response = client.get(f"/notes/{note.number}.pdf")
    assert bytes(b"".join(response)) == bytes(stored.pdf)
    assert response["X-Content-SHA256"] == sha256(stored.pdf) == stored.pdf_sha256
    # The job had no request: the PDF carries the root of the request that issued the note.
    (tmp_path / "n.pdf").write_bytes(bytes(stored.pdf))
    text = subprocess.run([_tool("pdftotext"), str(tmp_path / "n.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"http://testserver/verify/{note.number}" in text and body["content"]["zones"][0]["code"] in text


def test_without_background_rendering_the_first_request_renders(client, settings,
                                                               django_capture_on_commit_callbacks):
    settings.NOTE_PDF_BACKGROUND = False
    with django_capture_on_commit_callbacks(execute=True):
        body = post(client, {"title_number": "TF 10041/19"}).json()
    note = IssuedNote.objects.get(number=body["number"])
    assert django_rq.get_queue(QUEUE).fetch_job(jobs.job_id(note)) is None
    response = client.get(f"/notes/{note.number}.pdf")
    assert response.status_code == 200 and response["X-Content-SHA256"] == \
        IssuedNote.objects.get(pk=note.pk).pdf_sha256


def test_a_job_of_another_database_is_skipped(client):
    body = post(client, {"title_number": "TF 10042/19"}).json()
    note = IssuedNote.objects.get(number=body["number"])
    assert jobs.render_note_pdf(note.pk, "0" * 64, "http://elsewhere") is None
    assert not IssuedNote.objects.get(pk=note.pk).pdf_sha256


# Each case counts a different address: the counters live in Redis, outside the test's transaction.
@pytest.mark.parametrize("proxies, remote, forwarded, counted_as", [
    ([], "10.0.1.2", "203.0.113.1", "10.0.1.2"),                # no trusted proxy: the header is ignored
    (["10.0.2.2"], "10.0.2.2", "203.0.113.2", "203.0.113.2"),   # one proxy: the address it saw
    (["10.0.3.0/24"], "10.0.3.2", "6.6.6.6, 203.0.113.3", "203.0.113.3"),  # the client's own entry is not read
    (["10.0.4.0/24", "10.0.0.7"], "10.0.4.2", "6.6.6.6, 203.0.113.4, 10.0.0.7", "203.0.113.4"),  # two proxies
    (["10.0.5.9"], "10.0.5.2", "203.0.113.5", "10.0.5.2"),      # not from a trusted proxy: the header is ignored
    (["10.0.6.2"], "10.0.6.2", "not-an-address", "10.0.6.2"),
    (["10.0.7.0/24"], "10.0.7.2", "10.0.7.8", "10.0.7.8"),      # only trusted hops: the leftmost
    (["2001:db8::/32"], "2001:db8::5", "2001:db8::9, 198.51.100.8", "198.51.100.8"),
])
def test_rate_limit_reads_the_client_through_trusted_proxies(client, settings, proxies, remote, forwarded,
                                                             counted_as):
    settings.NOTE_ANONYMOUS_RATE = "1/day"  # no window boundary between two posts
    settings.TRUSTED_PROXIES = proxies
    peer = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
    assert post(client, {"title_number": "TF 10043/19"}, **peer).status_code == 201
    refused = post(client, {"title_number": "TF 10043/19"}, **peer)
    assert refused.status_code == 429 and f"({counted_as})" in refused.json()["description"]


def test_clients_behind_one_proxy_are_counted_apart(client, settings):
    settings.NOTE_ANONYMOUS_RATE = "1/day"  # no window boundary between two posts
    settings.TRUSTED_PROXIES = ["10.0.0.3"]
    first = {"REMOTE_ADDR": "10.0.0.3", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    second = {"REMOTE_ADDR": "10.0.0.3", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert post(client, {"title_number": "TF 10044/19"}, **first).status_code == 201
    assert post(client, {"title_number": "TF 10044/19"}, **second).status_code == 201
    assert post(client, {"title_number": "TF 10044/19"}, **first).status_code == 429
