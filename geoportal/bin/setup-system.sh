#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the geoportal needs, only those missing.
# Idempotent: a second run installs nothing.
set -euo pipefail

want=(gdal-bin libgdal-dev libgeos-dev libproj-dev python3-venv
      fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
      poppler-utils zbar-tools chromium redis-server wrk
      gettext nginx
      mapserver-bin cgi-mapserver python3-mapscript python3-qgis)

if ! command -v apt-get >/dev/null; then
  echo "setup-system: apt-get not found; install PostgreSQL 15 + PostGIS 3, GDAL, GEOS, PROJ, Redis and Chromium yourself." >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

# PostgreSQL: use the installed major version, else install the distribution's.
pg_version=""
if command -v pg_lsclusters >/dev/null; then
  pg_version=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1}')
fi
if [ -z "$pg_version" ]; then
  pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
fi
if [ -z "$pg_version" ]; then
  want+=(postgresql)
  pg_version=$(apt-cache depends postgresql 2>/dev/null | awk '/Depends: postgresql-[0-9]+$/ {sub("postgresql-","",$2); print $2; exit}')
  pg_version=${pg_version:-15}
fi
want+=("postgresql-${pg_version}-postgis-3")

missing=()
for pkg in "${want[@]}"; do
  if [ "$pkg" = python3-venv ] && python3 -c "import venv, ensurepip" 2>/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all Debian packages present"
  exit 0
fi
echo "setup-system: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
