"""Settings of the geoportal, read from the environment.

Every value a deployment changes comes from an environment variable with a
local default, so that `make demo` works on a fresh clone and production sets
DATABASE_URL, SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from geoportal import content_security
from geoportal.dbroles import DEFAULT_DATABASE_OWNER_URL, DEFAULT_DATABASE_URL, STAGING_SCHEMA

BASE_DIR = Path(__file__).resolve().parent.parent

DEFAULT_SECRET_KEY = "insecure-local-development-key-change-me"


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the default development key: set SECRET_KEY "
        "to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
# Former SECRET_KEYs, still accepted for sessions, signed links and the notes signed with a key
# derived from them (development, where NOTE_SIGNING_KEY is unset).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Absolute base URL written into QR codes and links that leave the site
# (e.g. https://geoportail.example.ma); empty means "the request's own host".
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
# Reverse proxies in front of the server (addresses or CIDR networks, e.g. "10.0.0.5,10.1.0.0/16"): only
# from them is X-Forwarded-For read, to find the client's address (geoportal.core.client); none = REMOTE_ADDR.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network "
                                   "(e.g. 10.0.0.5 or 10.1.0.0/16).") from None
if os.environ.get("TRUSTED_PROXY_COUNT"):
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT is replaced by TRUSTED_PROXIES: list the addresses or networks "
                               "of your reverse proxies (a count let any client that reached the server directly "
                               "choose its address).")

INSTALLED_APPS = [
    "geoportal",  # first: geoportal.gdal_guard hardens GDAL before any other app's ready()
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django_rq",
    "csp",
    "plans",
    "plans.extracts",
    "plans.inquiry",
    "layers",
    "api",
    "frontend",
    "geoportal.staff",
    "geoportal.eservices.common",
    "geoportal.eservices.complaints",
    "geoportal.eservices.permits",
    "geoportal.eservices.documents",
    "geoportal.eservices.fees",
]

MIDDLEWARE = [
    "geoportal.request_guard.RequestGuardMiddleware",  # body size on Content-Length, NUL bytes: before anything reads
    "geoportal.core.replica.PublicReadsMiddleware",  # public reads to the streaming replica when it is fit
    "layers.serving.fastpath.OgcDataMiddleware",  # OGC items and tiles skip the rest of this chain
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # after WhiteNoise: static files need no policy
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "layers.publishing.tokens.TokenAuthenticationMiddleware",  # `Authorization: Token <key>` on every /api/ endpoint
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "geoportal.core.responses.ApiErrorMiddleware",
]

ROOT_URLCONF = "geoportal.urls"
WSGI_APPLICATION = "geoportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The note is a package of plans, not an app (its __init__ is its table of contents and imports
        # models): its templates and template filters are named here.
        "DIRS": [BASE_DIR / "frontend" / "templates", BASE_DIR / "plans" / "note" / "templates",
                 BASE_DIR / "plans" / "lifecycle" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "geoportal.core.shell.shell",  # the site shell: language, navigation (site/base.html)
            ],
            "libraries": {"note_format": "plans.note.note_format"},
        },
    },
]

# Two roles on one database (geoportal/dbroles.py): DATABASE_URL is the app's, DATABASE_OWNER_URL the
# owner's (migrations, sample data). Without DATABASE_OWNER_URL, a set DATABASE_URL serves as both (one role:
# no grants are made, and with DEBUG=0 the server refuses to start if that role owns the tables).
_APP_URL = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
_OWNER_URL = os.environ.get("DATABASE_OWNER_URL") or (_APP_URL if os.environ.get("DATABASE_URL")
                                                      else DEFAULT_DATABASE_OWNER_URL)
# No JIT: our queries are short and index-bound, but PostGIS's cost estimates can pass jit_above_cost, and then
# compiling costs 40-450 ms for a query that runs in 1-5 ms (seen on the envelope's site query at 10M parcels).
DATABASE_SESSION_OPTIONS = {"options": "-c jit=off"}
DATABASE_ROLES = {
    role: dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True)
    for role, url in (("app", _APP_URL), ("owner", _OWNER_URL))
}
for _role in DATABASE_ROLES.values():
    _role["OPTIONS"] = {**DATABASE_SESSION_OPTIONS, **_role.get("OPTIONS", {})}
DATABASE_APP_ROLE = DATABASE_ROLES["app"]["USER"]
DATABASE_ROLE = os.environ.get("DATABASE_ROLE") or "app"
if DATABASE_ROLE not in DATABASE_ROLES:
    raise ImproperlyConfigured(f"DATABASE_ROLE={DATABASE_ROLE!r}: use app (the default) or owner.")
if DATABASE_ROLES["app"]["NAME"] != DATABASE_ROLES["owner"]["NAME"]:
    raise ImproperlyConfigured(
        f"DATABASE_URL names database {DATABASE_ROLES['app']['NAME']!r} but DATABASE_OWNER_URL names "
        f"{DATABASE_ROLES['owner']['NAME']!r}: both roles must use the same database.")
DATABASES = {"default": dict(DATABASE_ROLES[DATABASE_ROLE])}
if DATABASES["default"]["ENGINE"] != "django.contrib.gis.db.backends.postgis":
    raise ImproperlyConfigured(
        f"DATABASE_URL must use the postgis:// scheme (got engine {DATABASES['default']['ENGINE']!r})."
    )
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

# The hot-standby streaming replica (make cluster: the app role on it), for public reads (geoportal.core.replica):
# unset = every read on the primary. A replica slower to connect than REPLICA_CONNECT_TIMEOUT seconds, or lagging
# more than REPLICA_MAX_LAG_SECONDS behind the primary, is left out (checked every REPLICA_CHECK_SECONDS).
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "1"))
REPLICA_CONNECT_TIMEOUT = int(os.environ.get("REPLICA_CONNECT_TIMEOUT", "2"))
if os.environ.get("DATABASE_REPLICA_URL"):
    _replica = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
                                     conn_health_checks=True)
    if _replica["NAME"] != DATABASES["default"]["NAME"]:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL names database {_replica['NAME']!r} but DATABASE_URL names "
                                   f"{DATABASES['default']['NAME']!r}: the replica is a copy of the same database.")
    _replica["OPTIONS"] = {**DATABASE_SESSION_OPTIONS, **_replica.get("OPTIONS", {}),
                           "connect_timeout": REPLICA_CONNECT_TIMEOUT}
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["geoportal.core.replica.ReplicaRouter"]
# Public reads (regular expressions on the path) that the replica may answer (GET/HEAD, clients not signed in).
REPLICA_READ_PATHS = [r"/ogc/", r"/api/(place|search|plans|territories)$", r"/api/notes/[^/]+/verify$",
                      r"/verify/", r"/catalogue", r"/embed/", r"/ows$"]

# Debian 12's GDAL 3.6 cannot tell SetFromUserInput not to read files or URLs (gis.W001). No user
# text reaches Django's SpatialReference: CRSs are read as EPSG codes by our code, outline GeoJSON
# without GDAL (plans.outlines); and geoportal.gdal_guard refuses GDAL's network for the whole process.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "frontend" / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Files only some people may read (complaint attachments): served by views that check who asks, never by a
# web server; keep this folder outside MEDIA_ROOT and out of every web server's configuration.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "/admin/login/"
# Where a login lands when its `next` is missing or refused (another site, javascript:…): a real page.
LOGIN_REDIRECT_URL = "/admin/"

# Background jobs (imports, big extracts, sample loads) run on RQ over Redis.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Redis is a cache and a queue, never a reason to hang: a request waits at most this long (seconds) for it, then
# goes on without it (tiles from PostGIS, rate limits as geoportal.core.ratelimit says, /healthz "degraded").
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "0.5"))
# After a Redis failure the cache is left alone this long (seconds) before it is tried again (geoportal.core.cache).
REDIS_RETRY_SECONDS = float(os.environ.get("REDIS_RETRY_SECONDS", "5"))
# The queue's connection times out too (a job is queued or refused, never waited on); workers lengthen it for
# their blocking dequeue (RQ does so by itself).
_QUEUE_TIMEOUT = max(REDIS_SOCKET_TIMEOUT, 1.0)
RQ_QUEUES = {"default": {"URL": f"{REDIS_URL}{'&' if '?' in REDIS_URL else '?'}socket_timeout={_QUEUE_TIMEOUT}"
                                f"&socket_connect_timeout={_QUEUE_TIMEOUT}", "DEFAULT_TIMEOUT": 3600}}

# Shared by every worker process (rate limits, rendered tiles…). Keys are
# prefixed with the database name so that test runs and dev servers on one
# Redis never see each other's entries.
CACHES = {
    "default": {
        "BACKEND": "geoportal.core.cache.ResilientRedisCache",  # a miss when Redis is down, never an error
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", DATABASES["default"]["NAME"]),
        "OPTIONS": {"socket_timeout": REDIS_SOCKET_TIMEOUT, "socket_connect_timeout": REDIS_SOCKET_TIMEOUT},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Request bodies (geoportal.request_guard): refused on Content-Length before Django reads them. Upload routes allow
# their file limits (NOTE_MAX_FILE_BYTES, ESERVICES_MAX_ATTACHMENT_BYTES x ESERVICES_MAX_ATTACHMENTS,
# LAYERS_MAX_UPLOAD_BYTES and ADMIN_MAX_UPLOAD_BYTES for signed-in staff); every other body, JSON included,
# REQUEST_MAX_BODY_BYTES. Files above FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to disk, never to memory.
REQUEST_MAX_BODY_BYTES = int(os.environ.get("REQUEST_MAX_BODY_BYTES", int(2.5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
ADMIN_MAX_UPLOAD_BYTES = int(os.environ.get("ADMIN_MAX_UPLOAD_BYTES", 1024**3))

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

# An XYZ raster template for base maps ({z}/{x}/{y}); empty = no external base map
# (the default, so that nothing is fetched from outside at run time).
BASE_MAP_URL = os.environ.get("BASE_MAP_URL", "")
BASE_MAP_ATTRIBUTION = os.environ.get("BASE_MAP_ATTRIBUTION", "")
# Extra XYZ raster overlays of the web map's layer switcher (frontend.webmap.config), after the scanned sheets.
MAP_RASTER_OVERLAYS = []

# Content-Security-Policy of every page (geoportal/content_security.py); the embeds
# may be framed by these origins (space-separated CSP sources; "*" = any site).
# A real payment provider's checkout origin (e.g. https://pay.example.ma) must be listed in
# PAYMENT_CHECKOUT_ORIGINS (space-separated): the invoice form redirects there.
PAYMENT_CHECKOUT_ORIGINS = os.environ.get("PAYMENT_CHECKOUT_ORIGINS", "").split()
try:
    CONTENT_SECURITY_POLICY = content_security.policy(BASE_MAP_URL, PAYMENT_CHECKOUT_ORIGINS)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None
EMBED_FRAME_ANCESTORS = os.environ.get("EMBED_FRAME_ANCESTORS", "*").split()
# The job dashboard is /django-rq/, for superusers only (geoportal/rq_dashboard.py);
# django-rq's copy inside the admin would let every staff member in.
RQ_SHOW_ADMIN_LINK = False
# `manage.py rqworker` outlives a Redis outage (a job running meanwhile is recorded when Redis is back).
RQ = {"WORKER_CLASS": "geoportal.core.worker.ResilientWorker"}

# Plan extracts (plans.extracts): refused (413) above the max limits; run as a
# background job above the sync limits. Areas in m² (Lambert), counts in features.
EXTRACT_MAX_AREA_M2 = float(os.environ.get("EXTRACT_MAX_AREA_M2", "4000000"))
EXTRACT_MAX_FEATURES = int(os.environ.get("EXTRACT_MAX_FEATURES", "50000"))
EXTRACT_SYNC_MAX_AREA_M2 = float(os.environ.get("EXTRACT_SYNC_MAX_AREA_M2", "1000000"))
EXTRACT_SYNC_MAX_FEATURES = int(os.environ.get("EXTRACT_SYNC_MAX_FEATURES", "3000"))
# Housekeeping (manage.py purge_expired): background extract files, staging tables of finished uploads.
EXTRACT_RETENTION_HOURS = float(os.environ.get("EXTRACT_RETENTION_HOURS", "48"))
LAYERS_STAGING_RETENTION_DAYS = float(os.environ.get("LAYERS_STAGING_RETENTION_DAYS", "7"))

# Urbanism information notes (plans.note): anonymous issuance limit per client
# address ("N/minute|hour|day", empty = off), signing key (required when DEBUG
# is off; in development derived from SECRET_KEY), largest outline accepted,
# tolerances printed on the note.
NOTE_ANONYMOUS_RATE = os.environ.get("NOTE_ANONYMOUS_RATE", "30/hour")
NOTE_PDF_BACKGROUND = env_bool("NOTE_PDF_BACKGROUND", True)
NOTE_SIGNING_KEY = os.environ.get("NOTE_SIGNING_KEY", "")
# Retired signing keys verify the notes they signed and sign nothing (plans/note/signing.py;
# `manage.py rotate_note_signing_key` prints both values). Keys: >= 32 characters, no comma or space.
NOTE_SIGNING_RETIRED_KEYS = env_list("NOTE_SIGNING_RETIRED_KEYS", [])
if not DEBUG and not NOTE_SIGNING_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but NOTE_SIGNING_KEY is unset: issued notes would be signed with a key derived from "
        "SECRET_KEY. Set NOTE_SIGNING_KEY (`manage.py rotate_note_signing_key` makes one and says what to set)."
    )
if NOTE_SIGNING_KEY and (len(NOTE_SIGNING_KEY) < 32 or any(c in NOTE_SIGNING_KEY for c in ", \t\n")):
    raise ImproperlyConfigured("NOTE_SIGNING_KEY must have at least 32 characters and no comma or whitespace "
                               "(`manage.py rotate_note_signing_key` makes one).")
NOTE_MAX_AREA_M2 = float(os.environ.get("NOTE_MAX_AREA_M2", "500000"))
# An uploaded outline file (GeoJSON, KML, zipped Shapefile, DXF) and a PDF sent for verification, in bytes.
NOTE_MAX_FILE_BYTES = int(os.environ.get("NOTE_MAX_FILE_BYTES", 5 * 1024 * 1024))
NOTE_MAX_PDF_BYTES = int(os.environ.get("NOTE_MAX_PDF_BYTES", 20 * 1024 * 1024))
# A plan's perimeter file (plans.lifecycle): its outline, or its zones whose union it is.
PLAN_PERIMETER_MAX_FILE_BYTES = int(os.environ.get("PLAN_PERIMETER_MAX_FILE_BYTES", 20 * 1024 * 1024))
# Vertices of an outline (note, extract polygon): a parcel has tens, a district a few thousand.
OUTLINE_MAX_VERTICES = int(os.environ.get("OUTLINE_MAX_VERTICES", "10000"))
NOTE_SLIVER_M2 = 1.0
NOTE_SLIVER_SHARE = 0.005
NOTE_TITLE_AREA_TOLERANCE = 0.01

# E-services (geoportal/eservices): complaints, permit files, documents, fees.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "services@geoportail.local")
ESERVICES_MAX_ATTACHMENT_BYTES = int(os.environ.get("ESERVICES_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))
ESERVICES_MAX_ATTACHMENTS = int(os.environ.get("ESERVICES_MAX_ATTACHMENTS", "5"))
# Anonymous complaints / invoices per client address and hour.
ESERVICES_SUBMISSIONS_PER_HOUR = int(os.environ.get("ESERVICES_SUBMISSIONS_PER_HOUR", "20"))
# Fees: when on, the urbanism note is issued only against a paid invoice (fees.gate).
ESERVICES_FEES_ENABLED = env_bool("ESERVICES_FEES_ENABLED", False)
# Called, in order, before an official note takes its number: (agency, service, invoice reference, used_for=number);
# each returns or raises a typed error. The note knows no e-service: the e-services plug their fee gate in here.
NOTE_ISSUANCE_GATES = ["geoportal.eservices.fees.gate.require_paid_invoice"]
# The payment provider: a dotted path to a fees.providers.base.PaymentProvider subclass.
ESERVICES_PAYMENT_PROVIDER = os.environ.get("ESERVICES_PAYMENT_PROVIDER",
                                            "geoportal.eservices.fees.providers.sandbox.SandboxProvider")

# Public inquiry (plans.inquiry): observations and co-signatures one client address may send per hour.
INQUIRY_SUBMISSIONS_PER_HOUR = int(os.environ.get("INQUIRY_SUBMISSIONS_PER_HOUR", "30"))
# Called on pygeoapi's OpenAPI document (document, …/ogc URL) -> document: the edge (api.openapi) adds the /api/
# paths declared by each slice, so that /ogc/openapi and /api/openapi.json are one self-contained document.
OGC_OPENAPI_COMPLETERS = ["api.openapi.with_api_paths", "layers.serving.ogc_time.with_datetime_parameter"]
# pygeoapi logs routine fallbacks (missing offset, locale probing) as warnings.
LOGGING["loggers"] = {"pygeoapi": {"level": "ERROR"}}

# Layer publishing (layers app): upload limits in bytes, overlap/gap tolerance in m² (Lambert).
# Sized on real deliveries: an agency's 1M cadastral parcels are ~300 MB as a Shapefile (~150 MB zipped), an A0
# sheet scanned at 400 dpi is ~250 Mpx (~750 MB uncompressed RGB). A zip is expanded by the import job, never in
# the request, and stops at LAYERS_MAX_EXTRACTED_BYTES; a raster declaring more than LAYERS_MAX_RASTER_PIXELS
# (width x height) is refused before any pixel is read.
LAYERS_MAX_UPLOAD_BYTES = int(os.environ.get("LAYERS_MAX_UPLOAD_BYTES", 1024**3))
LAYERS_MAX_EXTRACTED_BYTES = int(os.environ.get("LAYERS_MAX_EXTRACTED_BYTES", 2 * 1024**3))
LAYERS_MAX_ZIP_ENTRIES = int(os.environ.get("LAYERS_MAX_ZIP_ENTRIES", "1000"))
LAYERS_MAX_RASTER_PIXELS = int(os.environ.get("LAYERS_MAX_RASTER_PIXELS", 300_000_000))
# Overlap / gap / beyond-perimeter tolerance (m², agency's Lambert CRS): the default of an upload; the publisher
# may choose another per upload within [LAYERS_TOLERANCE_MIN_M2, LAYERS_TOLERANCE_MAX_M2]. Real CNIG deliveries
# have digitising overlaps up to ~450 m² (Pezou's PLU); beyond 500 m² an overlap is a drawing error to fix.
LAYERS_TOLERANCE_M2 = float(os.environ.get("LAYERS_TOLERANCE_M2", "5.0"))
LAYERS_TOLERANCE_MIN_M2 = 0.0
LAYERS_TOLERANCE_MAX_M2 = float(os.environ.get("LAYERS_TOLERANCE_MAX_M2", "500.0"))
# Where staging tables live: the one schema in which the app's database role may create tables.
LAYERS_STAGING_SCHEMA = STAGING_SCHEMA
