#!/usr/bin/env bash
# Run once by the postgis image when its volume is new (/docker-entrypoint-initdb.d): the geoportal's
# owner and app roles, its database and postgis, exactly as geoportal/bin/setup-services.sh makes them.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner="$GEOPORTAL_OWNER" -v owner_password="$GEOPORTAL_OWNER_PASSWORD" \
  -v app="$GEOPORTAL_APP" -v app_password="$GEOPORTAL_APP_PASSWORD" -v db="$GEOPORTAL_DB" \
  -f /geoportal/roles.sql
# The streaming replica (service db-replica) connects as this role, allowed over the network for replication only.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="$REPLICATION_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE replicator' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'replicator') \gexec
ALTER ROLE replicator LOGIN REPLICATION PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
