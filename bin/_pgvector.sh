#!/usr/bin/env bash
# A throwaway PostgreSQL server *with pgvector*, for the pgvector path of library search
# (run as root, no stdin). Debian bookworm ships no postgresql-15-pgvector package, so
# this takes the PostgreSQL 16 + pgvector 0.6 build bundled in the `pgserver` wheel
# from the Python package registry (downloaded once, unpacked, never imported).
#
#   bin/_pgvector.sh [start] [DATA_DIR]   download if needed, init, start
#   bin/_pgvector.sh stop [DATA_DIR]      stop it
#
# Listens on 127.0.0.1 only (port $PGVECTOR_PORT, default 55433), trust auth for the
# postgres superuser on loopback. The last line printed by `start` is the export line
# (PRECEPTEUR_TEST_PGVECTOR_URL) for the tests.
set -euo pipefail

ACTION="${1:-start}"
DATA_DIR="$(realpath -m "${2:-/tmp/precepteur-pgvector}")"
PORT="${PGVECTOR_PORT:-55433}"
PGSERVER_VERSION="0.1.4"
INSTALL="${PGVECTOR_INSTALL:-/opt/precepteur-pgserver-$PGSERVER_VERSION}"
BINDIR="$INSTALL/pgserver/pginstall/bin"
PYTHON="${PYTHON:-python3}"
cd /

as_postgres() { runuser -u postgres -- "$@" </dev/null; }

if [ "$ACTION" = "stop" ]; then
    if [ -x "$BINDIR/pg_ctl" ] && as_postgres "$BINDIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
        as_postgres "$BINDIR/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null
    fi
    exit 0
fi

if [ ! -x "$BINDIR/postgres" ]; then
    tmp="$(mktemp -d)"
    "$PYTHON" -m pip download -q --no-deps "pgserver==$PGSERVER_VERSION" -d "$tmp" >&2
    mkdir -p "$INSTALL"
    "$PYTHON" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$tmp"/pgserver-*.whl "$INSTALL"
    chmod -R a+rX "$INSTALL"
    chmod a+x "$BINDIR"/*
    rm -rf "$tmp"
fi

id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
mkdir -p "$DATA_DIR"
chown postgres:postgres "$DATA_DIR"
chmod 700 "$DATA_DIR"
if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
    as_postgres "$BINDIR/initdb" -D "$DATA_DIR" -U postgres --auth-local=trust --auth-host=trust \
        -E UTF8 --no-locale >/dev/null
fi
if ! as_postgres "$BINDIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
    as_postgres "$BINDIR/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA_DIR" start >/dev/null
fi
echo "export PRECEPTEUR_TEST_PGVECTOR_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
