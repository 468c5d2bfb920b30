#!/usr/bin/env bash
# The production topology on one machine: gunicorn, a Celery worker and Celery beat in
# production mode, against the local PostgreSQL and Redis.
#   bash deploy/prod_local.sh start     # `make prod-local`
#   bash deploy/prod_local.sh stop      # `make prod-stop`
#   bash deploy/prod_local.sh status
# The first start writes var/prod/env: production settings with a random SECRET_KEY and new
# field keys, kept for later starts (they decrypt what was stored). Only for this local run,
# cookies are not Secure and the HTTPS warnings are silenced: it serves plain HTTP on loopback.
# Environment (defaults): PROD_PORT (8100), PROD_DB (aftercare_prod), PROD_REDIS_DB (5),
# PROD_PG (postgres://postgres@127.0.0.1:5432), PROD_REDIS (redis://127.0.0.1:6379),
# PROD_DIR (var/prod), PROD_FRESH=1 (drop the database and start from new keys),
# WEB_CONCURRENCY (3 gunicorn workers), PROD_BENCH_FLOOR=1 (offer /bench/floor).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=.venv/bin
PROD_DIR="${PROD_DIR:-var/prod}"
PROD_PORT="${PROD_PORT:-8100}"
PROD_DB="${PROD_DB:-aftercare_prod}"
PROD_REDIS_DB="${PROD_REDIS_DB:-5}"
PROD_PG="${PROD_PG:-postgres://postgres@127.0.0.1:5432}"
PROD_REDIS="${PROD_REDIS:-redis://127.0.0.1:6379}"
ENV_FILE="$PROD_DIR/env"
SERVICES=(gunicorn worker beat)

log() { printf 'prod-local: %s\n' "$*"; }

pid_of() {  # the pid in PROD_DIR/NAME.pid if that process is alive
    local file="$PROD_DIR/$1.pid"
    [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}

sql() {  # one statement on the server's maintenance database
    "$BIN/python" - "$PROD_PG/postgres" "$1" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    cursor = conn.execute(sys.argv[2])
    row = cursor.fetchone() if sys.argv[2].startswith("SELECT") else None
    print(row[0] if row else "")
PY
}

write_env() {
    mkdir -p "$PROD_DIR"
    ( umask 077
      "$BIN/python" - "$@" > "$ENV_FILE" <<'PY'
import secrets, sys
from cryptography.fernet import Fernet
pg, db, redis, redis_db, port, static = sys.argv[1:7]
print(f"""# Written by deploy/prod_local.sh for the local production topology. Keep it: the keys
# below decrypt the identifiers stored in {db}. A real deployment keeps these in /etc/aftercare.
AFTERCARE_PRODUCTION=1
SECRET_KEY={secrets.token_urlsafe(50)}
AFTERCARE_FIELD_KEYS={Fernet.generate_key().decode()}
AFTERCARE_BLIND_INDEX_KEY={Fernet.generate_key().decode()}
DATABASE_URL={pg}/{db}
REDIS_URL={redis}/{redis_db}
ALLOWED_HOSTS=127.0.0.1,localhost
AFTERCARE_BASE_URL=http://127.0.0.1:{port}
AFTERCARE_STATIC_ROOT={static}
AFTERCARE_LOG_LEVEL=INFO
# Local plain HTTP only: no Secure cookies, and the HTTPS checks are known exceptions.
AFTERCARE_SECURE_COOKIES=0
AFTERCARE_SILENCED_CHECKS=security.W008,security.W012,security.W016,security.W021
# Beat sweeps referral deadlines every 10 s here (15 minutes by default).
AFTERCARE_REFERRAL_SWEEP_SECONDS=10""")
PY
    )
}

start() {
    [ -x "$BIN/aftercare" ] || { echo "prod-local: run 'make install' first" >&2; exit 1; }
    for name in "${SERVICES[@]}"; do
        if pid_of "$name" >/dev/null; then echo "prod-local: $name is already running; 'make prod-stop' first" >&2; exit 1; fi
    done
    local new_env=0
    if [ "${PROD_FRESH:-0}" = 1 ]; then
        log "fresh start: dropping database $PROD_DB and $ENV_FILE"
        sql "DROP DATABASE IF EXISTS \"$PROD_DB\" WITH (FORCE)" >/dev/null
        rm -f "$ENV_FILE"
    fi
    if [ ! -f "$ENV_FILE" ]; then
        write_env "$PROD_PG" "$PROD_DB" "$PROD_REDIS" "$PROD_REDIS_DB" "$PROD_PORT" "$(pwd)/$PROD_DIR/static"
        new_env=1
        log "wrote $ENV_FILE (new SECRET_KEY and field keys)"
    fi
    set -a; . "$ENV_FILE"; set +a
    export AFTERCARE_BENCH_FLOOR="${PROD_BENCH_FLOOR:-0}"
    if [ -z "$(sql "SELECT 1 FROM pg_database WHERE datname = '$PROD_DB'")" ]; then
        sql "CREATE DATABASE \"$PROD_DB\"" >/dev/null
        log "created database $PROD_DB"
    elif [ "$new_env" = 1 ]; then
        echo "prod-local: database $PROD_DB exists but $ENV_FILE is new: its identifiers were encrypted with" \
             "keys that are gone. Use PROD_FRESH=1 to drop it, or restore the old env file." >&2
        rm -f "$ENV_FILE"; exit 1
    fi

    log "check-deploy"
    "$BIN/aftercare" check-deploy | grep -v '^note ' || { echo "prod-local: refused by check-deploy" >&2; exit 1; }
    log "migrate"
    "$BIN/aftercare" migrate --noinput -v 0
    log "collectstatic (hashed, compressed names)"
    "$BIN/aftercare" collectstatic --noinput -v 0

    local logs="$PROD_DIR/logs"; mkdir -p "$logs"
    export PROMETHEUS_MULTIPROC_DIR="$(pwd)/$PROD_DIR/prometheus"
    export AFTERCARE_BIND="127.0.0.1:$PROD_PORT" WEB_CONCURRENCY="${WEB_CONCURRENCY:-3}"
    setsid "$BIN/gunicorn" -c python:aftercare.gunicorn_conf aftercare.wsgi >>"$logs/gunicorn.log" 2>&1 &
    echo $! >"$PROD_DIR/gunicorn.pid"
    setsid "$BIN/celery" -A aftercare worker -Q interactive,bulk --concurrency 2 --loglevel INFO -n "aftercare-local@%h" \
        >>"$logs/worker.log" 2>&1 &
    echo $! >"$PROD_DIR/worker.pid"
    setsid "$BIN/celery" -A aftercare beat --loglevel INFO --schedule "$PROD_DIR/celerybeat-schedule" \
        >>"$logs/beat.log" 2>&1 &
    echo $! >"$PROD_DIR/beat.pid"

    local url="http://127.0.0.1:$PROD_PORT"
    for _ in $(seq 1 60); do
        if "$BIN/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url/ready" 2>/dev/null; then
            for name in "${SERVICES[@]}"; do
                pid_of "$name" >/dev/null || { echo "prod-local: $name died; see $logs/$name.log" >&2; stop; exit 1; }
            done
            log "ready at $url (gunicorn pid $(pid_of gunicorn), worker $(pid_of worker), beat $(pid_of beat)); logs in $logs"
            return 0
        fi
        sleep 0.5
    done
    echo "prod-local: $url/ready did not answer 200 within 30 s; see $logs" >&2
    tail -n 20 "$logs/gunicorn.log" >&2 || true
    stop
    exit 1
}

stop() {
    local name pid
    for name in "${SERVICES[@]}"; do
        pid="$(pid_of "$name" || true)"
        if [ -n "$pid" ]; then
            kill -TERM "$pid"
            for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; fi
            log "stopped $name ($pid)"
        fi
        rm -f "$PROD_DIR/$name.pid"
    done
}

status() {
    for name in "${SERVICES[@]}"; do
        printf '%-9s %s\n' "$name" "$(pid_of "$name" || echo stopped)"
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
