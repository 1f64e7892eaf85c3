#!/usr/bin/env bash
# psql as the postgres superuser, for administrative SQL: over the socket as the postgres system user
# (fresh Debian), else over TCP (trust-auth machines, containers). DB_ADMIN_HOST and DB_ADMIN_PORT say where.
#   geoportal/bin/as-postgres.sh -c "SELECT 1"
set -euo pipefail
port=${DB_ADMIN_PORT:-5432} host=${DB_ADMIN_HOST:-127.0.0.1}
# The postgres system user may not enter the caller's folder (a private clone): run from /.
cd /
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
  exec runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"
elif command -v sudo >/dev/null && id postgres >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  exec sudo -u postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"
else
  exec psql -h "$host" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"
fi
