#!/usr/bin/env bash
# Start PostgreSQL and Redis when they are not running; create the role, the
# database and the postgis extension named by DATABASE_URL. Idempotent.
set -euo pipefail

url=${DATABASE_URL:-postgis://geoportal:geoportal@127.0.0.1:5432/geoportal}
re='^[a-z]+://([^:]+):([^@]*)@([^:/]+):?([0-9]*)/(.+)$'
if [[ ! $url =~ $re ]]; then
  echo "setup-services: DATABASE_URL=$url is not of the form postgis://user:password@host:port/name" >&2
  exit 2
fi
user=${BASH_REMATCH[1]} password=${BASH_REMATCH[2]} host=${BASH_REMATCH[3]} port=${BASH_REMATCH[4]:-5432} db=${BASH_REMATCH[5]}

sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

if ! pg_isready -q -h "$host" -p "$port"; then
  if [ "$host" != 127.0.0.1 ] && [ "$host" != localhost ]; then
    echo "setup-services: PostgreSQL at $host:$port does not answer, and it is not local: start it there." >&2
    exit 1
  fi
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then
    echo "setup-services: creating PostgreSQL $version cluster 'main'"
    $sudo pg_createcluster "$version" main -p "$port"
  fi
  echo "setup-services: starting PostgreSQL $version"
  $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 30); do pg_isready -q -h "$host" -p "$port" && break; sleep 1; done
fi

# Administrative SQL as the postgres superuser: over the socket as the postgres
# system user (fresh Debian), else over TCP (trust-auth machines, containers).
as_postgres() {
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"
  elif command -v sudo >/dev/null && id postgres >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -u postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"
  else
    psql -h "$host" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"
  fi
}

# SUPERUSER because the test runner creates a fresh database with the postgis
# extension; for production use a role that owns only its database.
if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
  echo "setup-services: creating role $user"
  as_postgres -c "CREATE ROLE \"$user\" LOGIN SUPERUSER PASSWORD '$password'"
fi
if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  echo "setup-services: creating database $db"
  as_postgres -c "CREATE DATABASE \"$db\" OWNER \"$user\""
fi
as_postgres -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis"

redis_url=${REDIS_URL:-redis://127.0.0.1:6379/0}
if command -v redis-server >/dev/null && ! redis-cli -u "$redis_url" ping >/dev/null 2>&1; then
  echo "setup-services: starting Redis"
  mkdir -p /tmp/geoportal-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/geoportal-redis \
    --logfile /tmp/geoportal-redis/redis.log
fi
echo "setup-services: PostgreSQL ($db on $host:$port) and Redis are ready"
