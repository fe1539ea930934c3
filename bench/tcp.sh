#!/usr/bin/env bash
# Measures reads/s into the store over a TCP feed on this machine: starts the hub (embedded PostgreSQL, fresh data
# dir) with the shipped routes/tcp-nas-json.camel.yaml enabled (line framing, ack "{stored} {duplicates}\n" after
# commit), then runs the test-scope main uk.anprhub.bench.TcpLoad with N parallel connections.
# Usage: bench/tcp.sh [SECONDS] [CONNECTIONS...]   (defaults: 20 s; 16 and 64 connections)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN="${1:-20}"
shift || true
CONNS=("${@:-16 64}")
PORT=18081
TCP_PORT=17001
DATA="$(mktemp -d /tmp/anpr-bench-tcp.XXXXXX)"
[[ -f target/test-classes/uk/anprhub/bench/TcpLoad.class ]] || ./mvnw -B -q -Pbench test-compile
ANPR_DATA_DIR="$DATA" SERVER_PORT=$PORT bin/anpr-hub run --logging.level.root=WARN \
  '--camel.main.routes-include-pattern=file:routes/*.camel.yaml' \
  --anpr.tcp.feeds.nas-json.port=$TCP_PORT --anpr.tcp.feeds.nas-json.framing=line \
  --anpr.tcp.feeds.nas-json.max-connections-per-source=1000 \
  '--anpr.tcp.feeds.nas-json.ack={stored} {duplicates}\n' > "$DATA/hub.log" 2>&1 &
HUB=$!
trap 'kill $HUB 2>/dev/null; wait $HUB 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -sf "http://localhost:$PORT/actuator/health" > /dev/null; do
  kill -0 $HUB 2>/dev/null || { cat "$DATA/hub.log"; exit 1; }
  sleep 1
done
echo "hub up; warming up 15 s, then $SECONDS_RUN s per scenario after 5 s warm-up each ($(nproc) cores)"
java -cp target/test-classes uk.anprhub.bench.TcpLoad 127.0.0.1 $TCP_PORT 32 10 1 1 > /dev/null
for c in ${CONNS[@]}; do
  java -cp target/test-classes uk.anprhub.bench.TcpLoad 127.0.0.1 $TCP_PORT "$c" "$SECONDS_RUN" 1 1
done
java -cp target/test-classes uk.anprhub.bench.TcpLoad 127.0.0.1 $TCP_PORT 16 "$SECONDS_RUN" 1 8
java -cp target/test-classes uk.anprhub.bench.TcpLoad 127.0.0.1 $TCP_PORT 16 "$SECONDS_RUN" 20 1
