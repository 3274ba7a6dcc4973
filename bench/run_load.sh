#!/usr/bin/env bash
# Load test: demo tenant scaled to 50k contacts, `lingxi serve` on 127.0.0.1, locust headless as its own
# process with 1,000 users (think time 1-3 s). Writes CSVs to bench/out/ and appends a summary to
# bench/RESULTS.md.
#
#   bench/run_load.sh sqlite            # SQLite in bench/out/data-sqlite (the embedded default)
#   bench/run_load.sh postgres          # PostgreSQL database test_bench at 127.0.0.1:5432 (dropped and recreated)
#
# Tunables (environment): SERVE_WORKERS=2 (API processes) USERS=1000 SPAWN_RATE=20 RUN_TIME=4m SCALE=50000 PORT=(a free one) PG_URL=... RESULTS=file KEEP_DATA=1
# (KEEP_DATA=1 reuses a data folder/database that already holds the scaled demo). SCHEMA=metadata builds the
# schema from the ORM metadata instead of the Alembic migrations (for when a migration lags behind the models).
set -euo pipefail

BACKEND="${1:-sqlite}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/.venv}"
LINGXI="$VENV/bin/lingxi"
LOCUST="$VENV/bin/locust"
PY="$VENV/bin/python"
USERS="${USERS:-1000}"
SERVE_WORKERS="${SERVE_WORKERS:-2}"
SPAWN_RATE="${SPAWN_RATE:-20}"
RUN_TIME="${RUN_TIME:-4m}"
SCALE="${SCALE:-50000}"
PORT="${PORT:-}"
OUT="$ROOT/bench/out"
DATA="$OUT/data-$BACKEND"
PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test_bench}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
PREFIX="$OUT/${BACKEND}-${STAMP}"

[ -x "$LOCUST" ] || { echo "locust missing: $VENV/bin/pip install locust==2.47.0" >&2; exit 2; }
"$LINGXI" --help >/dev/null || { echo "the lingxi command does not work yet" >&2; exit 2; }
mkdir -p "$OUT"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

export LINGXI_DATA_DIR="$DATA"
export LINGXI_DEMO_PASSWORD="${LINGXI_DEMO_PASSWORD:-Bench-pass-2025}"
export LINGXI_LOG_LEVEL="${LINGXI_LOG_LEVEL:-WARNING}"
unset LINGXI_DATABASE_URL || true
case "$BACKEND" in
  sqlite) ;;
  postgres)
    export LINGXI_DATABASE_URL="$PG_URL"
    DB_NAME="${PG_URL##*/}"
    if [ "${KEEP_DATA:-}" != "1" ]; then
      dropdb -h 127.0.0.1 -U postgres --if-exists "$DB_NAME"
      createdb -h 127.0.0.1 -U postgres "$DB_NAME"
    fi ;;
  *) echo "usage: $0 sqlite|postgres" >&2; exit 2 ;;
esac
if [ "${KEEP_DATA:-}" != "1" ]; then rm -rf "$DATA"; fi
mkdir -p "$DATA"

MIGRATE_FLAG="--migrate"
if [ "${SCHEMA:-migrations}" = "metadata" ]; then
  MIGRATE_FLAG="--no-migrate"
  "$PY" - <<'PY'
import asyncio

import lingxi.models  # noqa: F401
from lingxi.config import get_settings
from lingxi.db import Base, Database


async def main() -> None:
    db = Database(get_settings())
    async with db.writer.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    await db.dispose()


asyncio.run(main())
PY
fi

echo "== loading the demo tenant with $SCALE extra contacts ($BACKEND)"
LOAD_START=$(date +%s.%N)
"$LINGXI" demo --scale "$SCALE" "$MIGRATE_FLAG" | tee "$PREFIX-demo.log"
LOAD_S=$("$PY" -c "import time; print(round(time.time() - $LOAD_START, 1))")

# The offline language models train on first use (20-60 s of CPU) and are cached in the data folder; train them
# here, once, so the measured servers load them instead of training them while locust runs.
echo "== training the offline language models into $DATA/models (once)"
"$PY" -c "from lingxi.ai.nlp import service; service.warm_up()" >/dev/null

if [ -z "$PORT" ]; then  # a free port, so another server on this machine is never measured by mistake
  PORT=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
fi
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then echo "port $PORT is taken" >&2; exit 1; fi
echo "== starting lingxi serve on 127.0.0.1:$PORT with $SERVE_WORKERS API processes"
"$LINGXI" serve --host 127.0.0.1 --port "$PORT" --workers "$SERVE_WORKERS" "$MIGRATE_FLAG" >"$PREFIX-server.log" 2>&1 &
SERVER_PID=$!
cleanup() {  # the server and its worker processes, forcibly if they don't stop within 15 s
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
  pkill -9 -P "$SERVER_PID" 2>/dev/null || true
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited; see $PREFIX-server.log" >&2; tail -30 "$PREFIX-server.log" >&2; exit 1; }
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null
kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited; see $PREFIX-server.log" >&2; exit 1; }

echo "== locust: $USERS users, spawn rate $SPAWN_RATE/s, run time $RUN_TIME (stats reset once all users run)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
LINGXI_BENCH_PASSWORD="$LINGXI_DEMO_PASSWORD" "$LOCUST" -f "$ROOT/bench/locustfile.py" --headless \
  --host "http://127.0.0.1:$PORT" -u "$USERS" -r "$SPAWN_RATE" --run-time "$RUN_TIME" --reset-stats \
  --stop-timeout 10 --csv "$PREFIX" --only-summary --exit-code-on-error 0 >"$PREFIX-locust.log" 2>&1 || true
tail -25 "$PREFIX-locust.log"

"$PY" "$ROOT/bench/summarize.py" --backend "$BACKEND" --stats "${PREFIX}_stats.csv" --users "$USERS" \
  --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" --scale "$SCALE" --load-seconds "$LOAD_S" \
  --demo-log "$PREFIX-demo.log" --loadavg "$LOAD_BEFORE" --serve-workers "$SERVE_WORKERS" --results "${RESULTS:-$ROOT/bench/RESULTS.md}"
