#!/usr/bin/env bash
# Measures delivery on this machine: starts nas-sim and the hub (embedded PostgreSQL, fresh data dir, defaults of
# anpr.delivery.*), then runs bench/DeliveryBench.java: a NAS outage (503) while BACKLOG_READS are stored, recovery
# and drain rate of that backlog; then end-to-end throughput while LIVE_READS are being stored; then the backlog
# drain again while live reads keep arriving (LIVE_RATE reads/s, default 1000).
# Usage: bench/delivery.sh [BACKLOG_READS=100000] [LIVE_READS=50000]   (extra hub settings: DELIVERY_ARGS="--anpr...=...")
# A 30-minute outage at 250 reads/s: bench/delivery.sh 450000
set -euo pipefail
cd "$(dirname "$0")/.."
BACKLOG="${1:-100000}"
LIVE="${2:-50000}"
PORT=18081
SIM_PORT=19090
DATA="$(mktemp -d /tmp/anpr-bench-delivery.XXXXXX)"
PASSWORD="bench-$(date +%s)-$RANDOM"
HASH="$(echo "$PASSWORD" | bin/anpr-hub hash-password | tail -1)"
cat > "$DATA/hub.yaml" <<YAML
anpr:
  users:
    - name: bench
      password-hash: "$HASH"
      roles: [ops]
YAML
bin/anpr-hub nas-sim --port "$SIM_PORT" > "$DATA/sim.log" 2>&1 &
SIM=$!
ANPR_CONFIG="$DATA/hub.yaml" ANPR_DATA_DIR="$DATA" SERVER_PORT=$PORT ANPR_NAS_URL="http://localhost:$SIM_PORT/nas/v1" \
  bin/anpr-hub run --demo --logging.level.root=WARN ${DELIVERY_ARGS:-} > "$DATA/hub.log" 2>&1 &
HUB=$!
trap 'kill $HUB $SIM 2>/dev/null; wait $HUB $SIM 2>/dev/null || true; rm -rf "$DATA"' EXIT
for i in $(seq 1 180); do
  curl -sf "http://localhost:$PORT/actuator/health" > /dev/null && break
  [[ $i == 180 ]] && { echo "hub did not come up:"; tail -30 "$DATA/hub.log"; exit 1; }
  sleep 1
done
echo "hub and nas-sim up ($(nproc) cores); backlog $BACKLOG reads, live $LIVE reads"
java bench/DeliveryBench.java "http://localhost:$PORT" "http://localhost:$SIM_PORT/nas/v1" bench "$PASSWORD" "$BACKLOG" "$LIVE"
