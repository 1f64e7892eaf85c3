"""Benchmark of the urbanism information note: `python -m bench.note [--runs N]`.

On the database DATABASE_URL points at (load it with `manage.py load_sample_data
--parcels 10000` or `--parcels 1000000` to see the growth), for random parcels
of agency AUT, reports p50/p95 in ms of:
  floor  the raw overlay SQL alone (plans.note.overlay.OVERLAY_SQL): the lower bound
  json   POST /api/notes through Django (identify, overlay, rules, number, sign, store, queue the PDF)
  pdf    the first GET of the note's PDF with no worker running (print map + WeasyPrint + store)
  job    the background job rendering the PDF after issuance (plans.note.jobs), then the GET that follows
Notes issued by the benchmark stay in the database (issued notes cannot be deleted):
run it on a benchmark database, not production.
"""
import argparse
import os
import statistics
import time


def _percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="notes issued (at least 2 x --pdf-runs)")
    parser.add_argument("--pdf-runs", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from tqdm import tqdm

    import django_rq

    from plans.models import Agency, IssuedNote, Parcel, PlanDocument
    from geoportal.core import jobs as core_jobs
    from plans.note import jobs
    from plans.models.zoning import TAKING_KINDS
    from plans.note.overlay import overlay

    settings.NOTE_ANONYMOUS_RATE = ""
    settings.ALLOWED_HOSTS = ["*"]
    agency = Agency.objects.get(code="AUT")
    total = Parcel.objects.filter(agency=agency).count()
    parcels = list(Parcel.objects.filter(agency=agency).order_by("?")[: args.runs])
    plan_ids = list(PlanDocument.objects.in_force().filter(agency=agency).values_list("id", flat=True))
    client = Client()
    floor, json_times, numbers = [], [], []
    for parcel in tqdm(parcels, desc="overlay + json", unit="note"):
        started = time.perf_counter()
        overlay(parcel.geom, agency.srid, plan_ids, TAKING_KINDS)
        floor.append(time.perf_counter() - started)
        started = time.perf_counter()
        response = client.post("/api/notes", {"title_number": parcel.title_number}, content_type="application/json")
        json_times.append(time.perf_counter() - started)
        assert response.status_code == 201, response.content
        numbers.append(response.json()["number"])
    pdf_times = []
    for number in tqdm(numbers[: args.pdf_runs], desc="pdf", unit="note"):
        started = time.perf_counter()
        response = client.get(f"/notes/{number}.pdf")
        pdf_times.append(time.perf_counter() - started)
        assert response.status_code == 200
    job_times, after_job = [], []
    queue = django_rq.get_queue(core_jobs.QUEUE)
    for number in tqdm(numbers[args.pdf_runs: 2 * args.pdf_runs], desc="job", unit="note"):
        job = queue.fetch_job(jobs.job_id(IssuedNote.objects.get(number=number)))
        if job is None:  # already taken by a running worker
            continue
        started = time.perf_counter()
        job.perform()
        job_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        response = client.get(f"/notes/{number}.pdf")
        after_job.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(f"note benchmark on {total:,} parcels of AUT ({args.runs} notes, {args.pdf_runs} PDFs)")
    for name, samples in (("floor (overlay SQL)", floor), ("json (POST /api/notes)", json_times),
                          ("pdf (first GET, no worker)", pdf_times), ("pdf (background job)", job_times),
                          ("pdf (GET after the job)", after_job)):
        if not samples:
            continue
        p50, p95 = _percentiles(samples)
        print(f"  {name:28s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
