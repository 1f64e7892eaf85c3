#!/usr/bin/env bash
# Run once by the postgis image when its volume is new (/docker-entrypoint-initdb.d): the geoportal's
# owner and app roles, its database and postgis, exactly as geoportal/bin/setup-services.sh makes them.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner="$GEOPORTAL_OWNER" -v owner_password="$GEOPORTAL_OWNER_PASSWORD" \
  -v app="$GEOPORTAL_APP" -v app_password="$GEOPORTAL_APP_PASSWORD" -v db="$GEOPORTAL_DB" \
  -f /geoportal/roles.sql
