#!/usr/bin/env bash
# Measures POST /ingest/nas-json on this machine: starts the hub (embedded PostgreSQL, fresh data dir),
# then runs bench/IngestLoad.java for single reads and for batches of 100. Usage: bench/ingest.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN="${1:-30}"
PORT=18080
DATA="$(mktemp -d /tmp/anpr-bench.XXXXXX)"
ANPR_DATA_DIR="$DATA" SERVER_PORT=$PORT bin/anpr-hub run --logging.level.root=WARN > "$DATA/hub.log" 2>&1 &
HUB=$!
trap 'kill $HUB 2>/dev/null; wait $HUB 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -sf "http://localhost:$PORT/actuator/health" > /dev/null; do sleep 1; done
echo "hub up; measuring $SECONDS_RUN s per scenario after 5 s warm-up ($(nproc) cores)"
java bench/IngestLoad.java "http://localhost:$PORT/ingest/nas-json" 20 "$SECONDS_RUN" 1
java bench/IngestLoad.java "http://localhost:$PORT/ingest/nas-json" 20 "$SECONDS_RUN" 100
java bench/IngestLoad.java "http://localhost:$PORT/ingest/nas-json" 4 "$SECONDS_RUN" 100
