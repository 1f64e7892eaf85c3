"""Parcels: land title numbers must read ("TF 12345/19") and be unique in the file (errors).

The titles go, normalised, into the table `<staging>_titles` (fid, title),
which publishing joins. A cadastre export usually writes its titles
already in our canonical form: PostgreSQL copies those as they are (one
CREATE TABLE … AS), and only the others stream through
plans.titles.normalise_title in Python, a batch at a time, so a million
parcels cost neither a million Python calls nor their memory.
"""
from django.db import connection

from plans.titles import InvalidTitleNumber, normalise_title

from . import staging
from .checks import ERROR, Check, entry

UNREADABLE = Check("title_number", ERROR, "Numéro de titre illisible", "رقم الرسم العقاري غير مقروء")
DUPLICATE = Check("duplicate_title", ERROR, "Numéro de titre en double", "رقم الرسم العقاري مكرر")

# Exactly the texts that normalise_title() returns unchanged: "TF " or "R ", the number without leading zeros,
# "/", the office on two digits (three from 100). layers/tests/test_validation_scale.py holds it to that.
CANONICAL_TITLE = r"^(TF|R) (0|[1-9][0-9]{0,8})/(0[0-9]|[1-9][0-9]{1,2})$"


def parcel_titles(upload, limit, batch=20_000):
    """Fill `<staging>_titles` and return the report entries (title_number, duplicate_title) that found
    something, each with its total count and its first `limit` items by FID."""
    view, table = staging.name(upload.staging_table + "_v"), staging.name(upload.staging_table + "_titles")
    bad, bad_count, rewritten = [], 0, 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE UNLOGGED TABLE {table} AS SELECT fid, title_number AS title, "
                       f"title_number ~ %s AS canonical FROM {view} WHERE title_number IS NOT NULL", [CANONICAL_TITLE])
        with connection.chunked_cursor() as others:  # server-side: `batch` rows in memory at a time
            others.execute(f"SELECT fid, title FROM {table} WHERE NOT canonical ORDER BY fid")
            while rows := others.fetchmany(batch):
                rewritten += len(rows)
                good = []
                for fid, title in rows:
                    try:
                        good.append((fid, normalise_title(title)))
                    except InvalidTitleNumber as exc:
                        bad_count += 1
                        if len(bad) < limit:
                            bad.append({"fid": fid, "message": str(exc), "lon": None, "lat": None, "repair": None})
                with cursor.copy(f"COPY {table} (fid, title, canonical) FROM STDIN") as copy:
                    for fid, title in good:
                        copy.write_row((fid, title, True))
        if rewritten:  # the rows as they were typed go; the normalised ones were added
            cursor.execute(f"DELETE FROM {table} WHERE NOT canonical")
        cursor.execute(f"""WITH d AS MATERIALIZED (
                               SELECT fid, title, first FROM (
                                   SELECT fid, title, min(fid) OVER (PARTITION BY title) AS first FROM {table}) t
                               WHERE fid <> first)
                           SELECT (SELECT count(*) FROM d), k.* FROM (SELECT * FROM d ORDER BY fid LIMIT %s) k""",
                       [limit])
        rows = cursor.fetchall()
    dupes = [{"fid": fid, "message": f"title {title} also on feature {first}", "lon": None, "lat": None,
              "repair": None} for _count, fid, title, first in rows]
    duplicates = rows[0][0] if rows else 0
    return [entry(check, count, items) for check, count, items in ((UNREADABLE, bad_count, bad),
                                                                   (DUPLICATE, duplicates, dupes)) if count]
