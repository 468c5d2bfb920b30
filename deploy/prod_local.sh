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
# WEB_CONCURRENCY (3 gunicorn workers), PROD_BENCH_FLOOR=1 (offer /bench/floor),
# PROD_APP_SERVERS (1; with 2 a second gunicorn serves on PROD_PORT+1: two app servers behind one
# proxy, sharing the database and Redis and nothing else),
# PROD_STANDBY=1 (a real PostgreSQL streaming standby, made with pg_basebackup and run as a second
# server on PROD_STANDBY_PORT (5433) in PROD_STANDBY_DIR; the app reads reports and exports from it
# through DATABASE_REPLICA_URL). The primary must accept replication connections from 127.0.0.1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=.venv/bin
PROD_DIR="${PROD_DIR:-var/prod}"
case "$PROD_DIR" in /*) ;; *) PROD_DIR="$PROD_DIR" ;; esac  # relative to the checkout, or absolute
PROD_PORT="${PROD_PORT:-8100}"
PROD_DB="${PROD_DB:-aftercare_prod}"
PROD_REDIS_DB="${PROD_REDIS_DB:-5}"
PROD_PG="${PROD_PG:-postgres://postgres@127.0.0.1:5432}"
PROD_REDIS="${PROD_REDIS:-redis://127.0.0.1:6379}"
PROD_APP_SERVERS="${PROD_APP_SERVERS:-1}"
PROD_STANDBY="${PROD_STANDBY:-0}"
PROD_STANDBY_PORT="${PROD_STANDBY_PORT:-5433}"
PROD_STANDBY_DIR="${PROD_STANDBY_DIR:-/tmp/aftercare-standby-$PROD_STANDBY_PORT}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
ENV_FILE="$PROD_DIR/env"
STANDBY_ENV="$PROD_DIR/standby.env"
SERVICES=(gunicorn worker beat)
for n in $(seq 2 "$PROD_APP_SERVERS"); do SERVICES+=("gunicorn$n"); done

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

as_postgres() {  # PostgreSQL refuses to run as root: the standby's files belong to postgres
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

standby_running() {
    [ -n "$PG_BIN" ] && [ -f "$PROD_STANDBY_DIR/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PROD_STANDBY_DIR" status >/dev/null 2>&1
}

start_standby() {
    [ -x "$PG_BIN/pg_basebackup" ] || { echo "prod-local: no pg_basebackup under PG_BIN=$PG_BIN" >&2; exit 1; }
    stop_standby
    rm -rf "$PROD_STANDBY_DIR"
    mkdir -p "$PROD_STANDBY_DIR"
    chmod 700 "$PROD_STANDBY_DIR"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PROD_STANDBY_DIR"
    # pg_basebackup copies the whole cluster, every database on the server, not only ours: say so
    # before it fills the disk, not after.
    local need free
    need=$(sql "SELECT sum(pg_database_size(datname)) FROM pg_database")
    free=$(( $(df -Pk "$PROD_STANDBY_DIR" | awk 'NR == 2 {print $4}') * 1024 ))
    if [ "$need" -gt "$free" ]; then
        echo "prod-local: the standby needs a copy of the whole PostgreSQL cluster ($((need / 1048576)) MB)" \
             "and $PROD_STANDBY_DIR has $((free / 1048576)) MB free: drop large databases the" \
             "cluster no longer needs (e.g. benchmark databases) or set PROD_STANDBY_DIR elsewhere" >&2
        exit 1
    fi
    log "standby: pg_basebackup of the primary ($((need / 1048576)) MB) into $PROD_STANDBY_DIR"
    as_postgres "$PG_BIN/pg_basebackup" -d "$PROD_PG" -D "$PROD_STANDBY_DIR" -R -X stream -c fast || {
        echo "prod-local: pg_basebackup failed (its own words are above). If it says there is no" \
             "pg_hba.conf entry for a replication connection, the primary must allow replication, e.g." \
             "'host replication all 127.0.0.1/32 trust' (or scram-sha-256 with a password)" >&2; exit 1; }
    # Debian keeps the server's configuration outside the data directory: the standby gets its own.
    as_postgres sh -c "printf '%s\n' \"listen_addresses = '127.0.0.1'\" 'port = $PROD_STANDBY_PORT' \
        \"unix_socket_directories = '$PROD_STANDBY_DIR'\" 'hot_standby = on' > '$PROD_STANDBY_DIR/postgresql.conf'
        printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' > '$PROD_STANDBY_DIR/pg_hba.conf'
        : > '$PROD_STANDBY_DIR/pg_ident.conf'"
    as_postgres "$PG_BIN/pg_ctl" -D "$PROD_STANDBY_DIR" -l "$PROD_STANDBY_DIR/server.log" -w -t 60 start >/dev/null
    echo "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$PROD_STANDBY_PORT/$PROD_DB" > "$STANDBY_ENV"
    log "standby streaming on 127.0.0.1:$PROD_STANDBY_PORT; reports and exports read from it"
}

stop_standby() {
    if standby_running; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PROD_STANDBY_DIR" -m fast -w stop >/dev/null
        log "stopped the standby on port $PROD_STANDBY_PORT"
    fi
    rm -f "$STANDBY_ENV"
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
        write_env "$PROD_PG" "$PROD_DB" "$PROD_REDIS" "$PROD_REDIS_DB" "$PROD_PORT" "$PROD_DIR/static"
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
    if [ "$PROD_STANDBY" = 1 ]; then
        start_standby
        set -a; . "$STANDBY_ENV"; set +a
    fi

    local logs="$PROD_DIR/logs"; mkdir -p "$logs"
    export WEB_CONCURRENCY="${WEB_CONCURRENCY:-3}"
    local n name
    for n in $(seq 1 "$PROD_APP_SERVERS"); do  # each app server: its own port and metrics directory
        name=gunicorn; [ "$n" = 1 ] || name="gunicorn$n"
        PROMETHEUS_MULTIPROC_DIR="$PROD_DIR/prometheus-$name" AFTERCARE_BIND="127.0.0.1:$((PROD_PORT + n - 1))" \
            setsid "$BIN/gunicorn" -c python:aftercare.gunicorn_conf aftercare.wsgi >>"$logs/$name.log" 2>&1 &
        echo $! >"$PROD_DIR/$name.pid"
    done
    # The worker and beat count nothing for /metrics (request metrics are the app servers' own).
    unset PROMETHEUS_MULTIPROC_DIR
    setsid "$BIN/celery" -A aftercare worker -Q interactive,bulk --concurrency 2 --loglevel INFO -n "aftercare-local@%h" \
        >>"$logs/worker.log" 2>&1 &
    echo $! >"$PROD_DIR/worker.pid"
    setsid "$BIN/celery" -A aftercare beat --loglevel INFO --schedule "$PROD_DIR/celerybeat-schedule" \
        >>"$logs/beat.log" 2>&1 &
    echo $! >"$PROD_DIR/beat.pid"

    local url="http://127.0.0.1:$PROD_PORT" last="http://127.0.0.1:$((PROD_PORT + PROD_APP_SERVERS - 1))"
    for _ in $(seq 1 60); do
        if "$BIN/python" -c "import urllib.request,sys; [urllib.request.urlopen(u, timeout=2) for u in sys.argv[1:]]" \
                "$url/ready" "$last/ready" 2>/dev/null; then
            for name in "${SERVICES[@]}"; do
                pid_of "$name" >/dev/null || { echo "prod-local: $name died; see $logs/$name.log" >&2; stop; exit 1; }
            done
            log "ready at $url (${PROD_APP_SERVERS} app server(s) from port $PROD_PORT; gunicorn pid $(pid_of gunicorn), worker $(pid_of worker), beat $(pid_of beat)); logs in $logs"
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
    stop_standby
}

status() {
    for name in "${SERVICES[@]}"; do
        printf '%-9s %s\n' "$name" "$(pid_of "$name" || echo stopped)"
    done
    printf '%-9s %s\n' standby "$(standby_running && echo "running on $PROD_STANDBY_PORT" || echo stopped)"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
