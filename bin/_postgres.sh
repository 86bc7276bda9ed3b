#!/usr/bin/env bash
# A throwaway PostgreSQL server for the storage tests (run as root, no stdin).
#
#   bin/_postgres.sh [start] [DATA_DIR]   install if needed, init, start, create role and db
#   bin/_postgres.sh stop [DATA_DIR]      stop the server started from DATA_DIR
#
# Idempotent: a second `start` reuses the cluster and the role. The server listens
# on 127.0.0.1 only (port $PG_PORT, default 55432) with its unix socket inside the
# data directory. The last line printed by `start` is the export line for the tests.
set -euo pipefail

ACTION="${1:-start}"
DATA_DIR="$(realpath -m "${2:-/tmp/precepteur-pg}")"
PG_PORT="${PG_PORT:-55432}"
PG_ROLE="precepteur"
PG_PASSWORD="precepteur"
PG_DB="precepteur_test"
READY_TIMEOUT_S=60

find_bindir() {
    local initdb
    initdb="$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$initdb" ]; then dirname "$initdb"; fi
}

as_postgres() {
    # runuser keeps no stdin and needs no password when run as root.
    runuser -u postgres -- "$@" </dev/null
}

BINDIR="$(find_bindir)"
cd /  # the postgres user may not be allowed into the caller's directory

if [ "$(id -u)" != 0 ]; then
    echo "$0: run as root (it installs packages and switches to the postgres user)" >&2
    exit 1
fi

if [ "$ACTION" = "stop" ]; then
    if [ -n "$BINDIR" ] && [ -d "$DATA_DIR" ] \
        && as_postgres "$BINDIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
        as_postgres "$BINDIR/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null
        echo "stopped PostgreSQL in $DATA_DIR" >&2
    else
        echo "no PostgreSQL running in $DATA_DIR" >&2
    fi
    exit 0
fi

if [ "$ACTION" != "start" ]; then
    echo "usage: $0 [start|stop] [DATA_DIR]" >&2
    exit 2
fi

if [ -z "$BINDIR" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BINDIR="$(find_bindir)"
    if [ -z "$BINDIR" ]; then
        echo "PostgreSQL installed but no initdb found under /usr/lib/postgresql" >&2
        exit 1
    fi
fi

id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres

mkdir -p "$DATA_DIR"
chown postgres:postgres "$DATA_DIR"
chmod 700 "$DATA_DIR"

if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
    as_postgres "$BINDIR/initdb" -D "$DATA_DIR" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --no-locale --no-instructions >/dev/null
fi

if ! as_postgres "$BINDIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
    as_postgres "$BINDIR/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w -t "$READY_TIMEOUT_S" \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $DATA_DIR" start >/dev/null || {
        echo "PostgreSQL did not start (port $PG_PORT taken?); end of $DATA_DIR/server.log:" >&2
        tail -n 5 "$DATA_DIR/server.log" >&2
        exit 1
    }
fi

psql_admin() {
    as_postgres "$BINDIR/psql" -h "$DATA_DIR" -p "$PG_PORT" -U postgres -d postgres \
        -v ON_ERROR_STOP=1 -qtA "$@"
}

deadline=$((SECONDS + READY_TIMEOUT_S))
until as_postgres "$BINDIR/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "PostgreSQL did not become ready in ${READY_TIMEOUT_S}s; see $DATA_DIR/server.log" >&2
        exit 1
    fi
    sleep 0.5
done

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'")" != "1" ]; then
    psql_admin -c "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
else
    psql_admin -c "ALTER ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
    psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_ROLE"
fi

echo "export PRECEPTEUR_TEST_POSTGRES_URL=postgresql+psycopg://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
