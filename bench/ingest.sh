#!/usr/bin/env bash
# Measures POST /ingest/nas-json on this machine: starts the hub (embedded PostgreSQL, fresh data dir), then
# drives it with `bin/anpr-hub camera-sim` — single reads and batches of 100. Usage: bench/ingest.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="${1:-30}"
PORT=18080
DATA="$(mktemp -d /tmp/anpr-bench.XXXXXX)"
ANPR_DATA_DIR="$DATA" SERVER_PORT=$PORT bin/anpr-hub run --demo --logging.level.root=WARN > "$DATA/hub.log" 2>&1 &
HUB=$!
trap 'kill $HUB 2>/dev/null; wait $HUB 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -sf "http://localhost:$PORT/actuator/health" > /dev/null; do sleep 1; done
echo "hub up on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); ${RUN}s per scenario after a 5 s warm-up"
sim() { echo "== $*"; bin/anpr-hub camera-sim --url "http://localhost:$PORT" --warmup 5s --duration "${RUN}s" "$@"; }
sim --clients 20 --batch 1
sim --clients 64 --batch 1
sim --clients 20 --batch 100
sim --clients 4 --batch 100
