#!/usr/bin/env bash
# Acknowledgement latency of single reads at a fixed offered rate (issue 17: p99 <= 50 ms at 2,000 reads/s): one hub
# (embedded PostgreSQL, delivery on to a running nas-sim) takes paced single canonical reads on the camera listener,
# then on the ops port (Tomcat), each after a warm-up at the same rate (docs/performance.md, "A camera listener of its own").
# Usage: bench/listener-p99.sh [RATE] [SECONDS] [WARMUP_SECONDS]   (defaults 2000 30 60; CLIENTS=64)
# Needs target/anpr-hub.jar (./mvnw -B -o -q -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."
RATE="${1:-2000}"; SECONDS_="${2:-30}"; WARMUP="${3:-60}"; CLIENTS="${CLIENTS:-64}"
JAR=target/anpr-hub.jar
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }
OPS=$(free_port); CAM=$(free_port); NAS=$(free_port); DATA=$(mktemp -d)
java -jar "$JAR" nas-sim --port "$NAS" > "$DATA/nas.log" 2>&1 &
NASPID=$!
ANPR_DATA_DIR="$DATA" SERVER_PORT="$OPS" ANPR_NAS_URL="http://localhost:$NAS/nas/v1" java -jar "$JAR" run --demo \
  --logging.level.root=WARN --anpr.http.camera-listener.port="$CAM" --anpr.http.camera-listener.also-on-ops-port=true \
  > "$DATA/hub.log" 2>&1 &
HUB=$!
trap 'kill $HUB $NASPID 2>/dev/null; wait $HUB $NASPID 2>/dev/null; rm -rf "$DATA"; true' EXIT
for _ in $(seq 180); do curl -fs "localhost:$OPS/actuator/health" | grep -q UP && break; sleep 1; done
sim() { java -jar "$JAR" camera-sim --url "http://localhost:$1" --batch 1 --clients "$CLIENTS" --rate "$RATE" \
  --duration "${SECONDS_}s" --warmup "${WARMUP}s" --report-json "$DATA/sim.json" > "$DATA/sim.log" 2>&1
  python3 - "$DATA/sim.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
l = r["latencyMs"]
print(f"{sys.argv[2]:<20} {r['readsPerSecond']:8,.0f} reads/s acknowledged  p50 {l['p50']} ms  p90 {l['p90']} ms  "
      f"p99 {l['p99']} ms  max {l['max']} ms  pushed back {r['pushedBackRequests']}  failed {r['failedRequests']}")
PY
}
echo "offered $RATE reads/s, $CLIENTS clients, ${WARMUP} s warm-up then ${SECONDS_} s measured, load $(cut -d' ' -f1-3 /proc/loadavg)"
sim "$CAM" "camera listener:"
sim "$OPS" "ops port (Tomcat):"
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
