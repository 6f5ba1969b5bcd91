#!/usr/bin/env bash
# Make sure the production stack's services are here (make run-prod runs this first):
# PostgreSQL and Redis answering on this host, nginx installed, the tracker database
# created. Whatever is missing is installed from Debian's packages and started with
# `service ... start` (needs root and apt-get; otherwise it says what to run).
#
# Reads TRACKER_HOST/PORT/USER/DB and REDIS_HOST/PORT/PASSWORD from the environment
# (deploy/prod.env.example, or a local deploy/prod.env, via the Makefile). Safe to run again: it only acts on what is missing.
set -euo pipefail

PG_HOST=${TRACKER_HOST:-127.0.0.1}
PG_PORT=${TRACKER_PORT:-5432}
PG_USER=${TRACKER_USER:-postgres}
PG_DB=${TRACKER_DB:-cpp_prod}
R_HOST=${REDIS_HOST:-127.0.0.1}
R_PORT=${REDIS_PORT:-6379}

say() { echo "==> $*"; }
local_host() { [[ "$1" == "127.0.0.1" || "$1" == "localhost" || "$1" == "" ]]; }

APT_UPDATED=
apt_install() {
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
        echo "missing: $* -- install it (as root: apt-get install -y $*) and run this again" >&2
        exit 1
    fi
    if [[ -z "$APT_UPDATED" ]]; then
        apt-get update -qq
        APT_UPDATED=1
    fi
    say "Installing $* from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # wait_for DESCRIPTION COMMAND...: up to 30 s
    local what=$1
    shift
    for _ in $(seq 60); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    echo "$what did not come up" >&2
    exit 1
}

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }
redis_ready() {
    [[ "$(REDISCLI_AUTH=${REDIS_PASSWORD:-} redis-cli -h "$R_HOST" -p "$R_PORT" ping 2>/dev/null)" == PONG ]]
}

# --- PostgreSQL ----------------------------------------------------------------------
command -v pg_isready >/dev/null || apt_install postgresql-client
if ! pg_ready; then
    local_host "$PG_HOST" || { echo "PostgreSQL at $PG_HOST:$PG_PORT does not answer" >&2; exit 1; }
    ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || apt_install postgresql
    say "Starting PostgreSQL"
    service postgresql start >/dev/null
    wait_for "PostgreSQL on $PG_HOST:$PG_PORT" pg_ready
fi

# The database, if missing (trust or password auth as the server is configured).
psql_do() { PGPASSWORD=${TRACKER_PASSWORD:-} psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "$1"; }
if [[ "$(psql_do "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]]; then
    say "Creating database $PG_DB"
    psql_do "CREATE DATABASE \"$PG_DB\"" >/dev/null
fi

# --- Redis ---------------------------------------------------------------------------
command -v redis-cli >/dev/null || apt_install redis-tools
if ! redis_ready; then
    local_host "$R_HOST" || { echo "Redis at $R_HOST:$R_PORT does not answer" >&2; exit 1; }
    command -v redis-server >/dev/null || apt_install redis-server
    say "Starting Redis"
    service redis-server start >/dev/null
    wait_for "Redis on $R_HOST:$R_PORT" redis_ready
fi

# --- nginx (the stack runs its own foreground nginx with var/prod/nginx.conf) ---------
if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
    apt_install nginx-light
fi
# Debian starts the system nginx on port 80 after installing it; the stack does not
# use it, so it is left as the package set it up.

say "PostgreSQL ($PG_HOST:$PG_PORT/$PG_DB), Redis ($R_HOST:$R_PORT) and nginx are ready"
