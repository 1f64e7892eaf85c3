"""The benchmark datasets: one database per size, loaded once and reused.

Each size gets its own database (geoportal_bench_10k, _100k, _1m, after the
database of DATABASE_URL) on the
PostgreSQL named by DATABASE_URL, created the way geoportal/bin/setup-services.sh
creates the development one (owner and app roles of DATABASE_OWNER_URL and
DATABASE_URL), migrated, and loaded with
`manage.py load_sample_data --parcels N` (idempotent: a loaded size costs a
few seconds to check). The query parameters (a bbox over the dense centre of
Tétouan, a parcel id, tile coordinates) are read from the loaded data so
every server is asked the same question about the same rows.
"""
import json
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
# What each load cost (seconds, peak memory), kept beside the peers' virtualenvs: a loaded size is reused, so a
# run that did not load it still reports the load that made it.
LOADS = ROOT / "bench" / ".peers" / "loads.json"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def parse_sizes(text):
    """'10k,100k' -> ['10k', '100k'] in ascending size; unknown names are refused with the valid ones."""
    names = [s.strip().lower() for s in text.split(",") if s.strip()]
    unknown = [n for n in names if n not in SIZES]
    if unknown or not names:
        raise SystemExit(f"bench: BENCH_SIZES={text!r}: use a comma-separated list of {', '.join(SIZES)}")
    return sorted(set(names), key=SIZES.get)


def database_url(size, role="app"):
    """URL of the database holding the `size` dataset, on the server of DATABASE_URL, as its app role (what
    the servers read with) or its owner (DATABASE_OWNER_URL: what creates, migrates and loads it)."""
    from geoportal.dbroles import DEFAULT_DATABASE_OWNER_URL, DEFAULT_DATABASE_URL

    name, default = ("DATABASE_OWNER_URL", DEFAULT_DATABASE_OWNER_URL) if role == "owner" else \
        ("DATABASE_URL", DEFAULT_DATABASE_URL)
    base = urlsplit(os.environ.get(name, default))
    return urlunsplit(base._replace(path=f"{base.path}_bench_{size}"))


def libpq_dsn(url):
    """A postgis:// URL as a libpq DSN (psycopg, tipg, pygeoapi and MapServer all speak libpq)."""
    parts = urlsplit(url)
    return (f"host={parts.hostname} port={parts.port or 5432} dbname={parts.path.lstrip('/')} "
            f"user={parts.username} password={parts.password or ''}")


def ensure_loaded(size, log=print):
    """Create, migrate and load the `size` database unless it already holds that dataset.

    The load shows its progress bar on the terminal (stderr) and its time and peak memory are kept in LOADS."""
    url, owner_url = database_url(size), database_url(size, "owner")
    env = dict(os.environ, DATABASE_URL=url, DATABASE_OWNER_URL=owner_url)
    py = sys.executable
    steps = [
        ["bash", str(ROOT / "geoportal/bin/setup-services.sh")],
        [py, "manage.py", "migrate", "--noinput", "-v", "0"],
        [py, "manage.py", "load_sample_data", "--parcels", str(SIZES[size])],
    ]
    for cmd in steps:
        loading = "load_sample_data" in cmd
        if loading and _loaded_fingerprint(url) == _fingerprint(SIZES[size]):
            continue  # the generator would rebuild the whole dataset only to find it loaded
        log(f"[{size}] {' '.join(cmd[1:] if cmd[0] == py else cmd[1:2])}")
        done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=None if loading else
                              subprocess.PIPE, text=True)
        if done.returncode:
            raise SystemExit(f"bench: preparing the {size} dataset failed at {' '.join(cmd)}:\n"
                             f"{done.stdout[-2000:]}{(done.stderr or '')[-2000:]}")
        if loading:
            _record_load(size, done.stdout)
    with psycopg.connect(libpq_dsn(owner_url)) as conn:
        # Peers read the tables through their own SQL; fresh statistics keep plans comparable (the owner's right).
        conn.execute("ANALYZE plans_parcel")
    return url


def _record_load(size, output):
    """Keep the time and peak memory the load reported ("Loaded … in 12.3 s, peak memory 456 MiB")."""
    found = re.search(r"Loaded (\S+) in ([\d.]+) s, peak memory (\d+) MiB", output)
    if not found:
        return
    loads = json.loads(LOADS.read_text()) if LOADS.exists() else {}
    loads[size] = dict(fingerprint=found[1], seconds=float(found[2]), peak_memory_mib=int(found[3]),
                       parcels=SIZES[size])
    LOADS.parent.mkdir(parents=True, exist_ok=True)
    LOADS.write_text(json.dumps(loads, indent=1))


def describe(size, url):
    """What the `size` dataset is: parcels, its load (seconds, peak MiB, when this machine recorded it) and the
    disk its database takes (bytes), for the results file."""
    loads = json.loads(LOADS.read_text()) if LOADS.exists() else {}
    with psycopg.connect(libpq_dsn(url)) as conn:
        disk = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        parcels = conn.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'plans_parcel'::regclass"
                               ).fetchone()[0]
        table = conn.execute("SELECT pg_total_relation_size('plans_parcel')").fetchone()[0]
    load = loads.get(size) if (loads.get(size) or {}).get("fingerprint") == _fingerprint(SIZES[size]) else None
    return dict(parcels=parcels, database_bytes=disk, parcel_table_bytes=table, load=load)


def _fingerprint(parcels):
    from data.generator import DEFAULT_SEED, fingerprint

    return fingerprint(parcels, DEFAULT_SEED)


def _loaded_fingerprint(url):
    """The fingerprint of the sample loaded in that database, or None."""
    with psycopg.connect(libpq_dsn(url)) as conn:
        row = conn.execute("SELECT fingerprint FROM plans_datasetload WHERE name = 'sample'").fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class Probe:
    """What every server is asked about one dataset (lon/lat, EPSG:4326)."""

    size: str
    url: str
    centre: tuple  # lon, lat of the densest parcels
    bbox_small: tuple  # ~300 m square around the centre
    bbox_large: tuple  # ~1 km square
    bbox_wide: tuple  # ~3 km square: thousands of parcels, for numberMatched
    parcel_id: int
    title_number: str
    zone_code: str
    tiles: dict  # zoom -> (z, x, y) in WebMercatorQuad

    def bbox_param(self, bbox):
        return ",".join(f"{v:.6f}" for v in bbox)


def tile_of(lon, lat, z):
    """WebMercatorQuad (z, x, y) of the tile holding lon/lat (degrees)."""
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return z, x, y


def square_around(lon, lat, metres):
    """A lon/lat bbox `metres` wide centred on lon/lat (local metric approximation, good to <1 % here)."""
    half_lat = metres / 2 / 111_320.0
    half_lon = metres / 2 / (111_320.0 * math.cos(math.radians(lat)))
    return (lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat)


def probe(size, url):
    """Read the query parameters from the loaded `size` dataset."""
    with psycopg.connect(libpq_dsn(url)) as conn:
        # Centre of Tétouan's parcels: the generator grows the city outwards, so it is dense at every size.
        lon, lat = conn.execute(
            "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Extent(p.geom)::geometry) c FROM plans_parcel p "
            "JOIN plans_agency a ON a.id = p.agency_id WHERE a.code = 'AUT') s").fetchone()
        # A parcel a little off the centre so the tile, the bbox and the note all touch real zoning.
        parcel_id, title = conn.execute(
            "SELECT id, title_number FROM plans_parcel ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326) "
            "LIMIT 1", (lon, lat)).fetchone()
    return Probe(size=size, url=url, centre=(lon, lat), bbox_small=square_around(lon, lat, 300),
                 bbox_large=square_around(lon, lat, 1000),
                 bbox_wide=square_around(lon, lat, 3000), parcel_id=parcel_id, title_number=title, zone_code="B3",
                 tiles={z: tile_of(lon, lat, z) for z in (14, 16, 18)})
