#!/usr/bin/env bash
# Start PostgreSQL and Redis when they are not running; create the two database roles (the app's,
# DATABASE_URL, and the owner's, DATABASE_OWNER_URL), the database and the postgis extension
# (geoportal/bin/roles.sql). Idempotent.
set -euo pipefail

app_url=${DATABASE_URL:-postgis://geoportal_app:geoportal_app@127.0.0.1:5432/geoportal}
owner_url=${DATABASE_OWNER_URL:-postgis://geoportal:geoportal@127.0.0.1:5432/geoportal}
re='^[a-z]+://([^:]+):([^@]*)@([^:/]+):?([0-9]*)/(.+)$'
for url in "$app_url" "$owner_url"; do
  if [[ ! $url =~ $re ]]; then
    echo "setup-services: $url is not of the form postgis://user:password@host:port/name" >&2
    exit 2
  fi
done
[[ $owner_url =~ $re ]]
owner=${BASH_REMATCH[1]} owner_password=${BASH_REMATCH[2]} owner_at=${BASH_REMATCH[3]}:${BASH_REMATCH[4]:-5432}/${BASH_REMATCH[5]}
[[ $app_url =~ $re ]]
app=${BASH_REMATCH[1]} app_password=${BASH_REMATCH[2]} host=${BASH_REMATCH[3]} port=${BASH_REMATCH[4]:-5432} db=${BASH_REMATCH[5]}
if [ "$owner_at" != "$host:$port/$db" ]; then
  echo "setup-services: DATABASE_URL names $host:$port/$db but DATABASE_OWNER_URL names $owner_at:" \
       "both roles use one database" >&2
  exit 2
fi
if [ "$owner" = "$app" ]; then
  echo "setup-services: DATABASE_URL and DATABASE_OWNER_URL both use role $app: the app needs its own role" \
       "(e.g. ${app}_app), which owns nothing" >&2
  exit 2
fi

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

DB_ADMIN_HOST=$host DB_ADMIN_PORT=$port "$(dirname "$0")/as-postgres.sh" -v owner="$owner" -v owner_password="$owner_password" \
  -v app="$app" -v app_password="$app_password" -v db="$db" <"$(dirname "$0")/roles.sql"  # on stdin: the postgres
# system user may not read a clone under a private folder (mktemp -d, a home directory)

redis_url=${REDIS_URL:-redis://127.0.0.1:6379/0}
if command -v redis-server >/dev/null && ! redis-cli -u "$redis_url" ping >/dev/null 2>&1; then
  echo "setup-services: starting Redis"
  mkdir -p /tmp/geoportal-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/geoportal-redis \
    --logfile /tmp/geoportal-redis/redis.log
fi
echo "setup-services: PostgreSQL ($db on $host:$port, roles $owner and $app) and Redis are ready"
