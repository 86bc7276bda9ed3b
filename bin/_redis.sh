#!/usr/bin/env bash
# A throwaway Redis server for the gate tests (shared queue of several web workers).
#
#   bin/_redis.sh [start] [DATA_DIR]   install if needed, start on 127.0.0.1:$REDIS_PORT
#   bin/_redis.sh stop [DATA_DIR]      stop the server started from DATA_DIR
#
# Idempotent: a second `start` reuses the running server. Nothing is saved to disk
# (no RDB, no AOF). The last line printed by `start` is the export line for the tests.
set -euo pipefail

ACTION="${1:-start}"
DATA_DIR="$(realpath -m "${2:-/tmp/precepteur-redis}")"
REDIS_PORT="${REDIS_PORT:-56379}"
READY_TIMEOUT_S=30
PIDFILE="$DATA_DIR/redis.pid"

if [ "$ACTION" = "stop" ]; then
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        kill "$(cat "$PIDFILE")"
        echo "stopped Redis in $DATA_DIR" >&2
    else
        echo "no Redis running in $DATA_DIR" >&2
    fi
    exit 0
fi

if [ "$ACTION" != "start" ]; then
    echo "usage: $0 [start|stop] [DATA_DIR]" >&2
    exit 2
fi

if ! command -v redis-server >/dev/null; then
    if [ "$(id -u)" != 0 ]; then
        echo "$0: redis-server is missing; run as root to install it" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq redis-server >&2
fi

mkdir -p "$DATA_DIR"
if ! { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes --save "" --appendonly no \
        --dir "$DATA_DIR" --daemonize yes --pidfile "$PIDFILE" --logfile "$DATA_DIR/redis.log" >/dev/null
fi

deadline=$((SECONDS + READY_TIMEOUT_S))
until redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "Redis did not become ready in ${READY_TIMEOUT_S}s (port $REDIS_PORT taken?); see $DATA_DIR/redis.log" >&2
        exit 1
    fi
    sleep 0.2
done

echo "export PRECEPTEUR_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
