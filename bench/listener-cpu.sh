#!/usr/bin/env bash
# Hub CPU per acknowledged single read: the ops port (Tomcat + Spring MVC async + platform-http) against the camera
# listener (Netty), same hub, same load, alternated (docs/performance.md, "A camera listener of its own").
# Usage: bench/listener-cpu.sh [READS] [ROUNDS]   (VIA_CAMEL=true: the listener enters Camel; default: the direct call)
# Needs target/anpr-hub.jar (./mvnw -B -o -q -DskipTests package). CPU is the hub JVM's utime+stime from /proc,
# minus what it spends idle over the same time (delivery off; embedded PostgreSQL's CPU is not counted: same for both).
set -euo pipefail
cd "$(dirname "$0")/.."
READS="${1:-5000}"; ROUNDS="${2:-2}"; VIA_CAMEL="${VIA_CAMEL:-false}"
JAR=target/anpr-hub.jar; TICK=$(getconf CLK_TCK)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }
OPS=$(free_port); CAM=$(free_port); DATA=$(mktemp -d)
ANPR_DATA_DIR="$DATA" SERVER_PORT="$OPS" java -jar "$JAR" run --demo --logging.level.root=WARN --anpr.delivery.enabled=false \
  --anpr.http.camera-listener.port="$CAM" --anpr.http.camera-listener.also-on-ops-port=true \
  --anpr.http.camera-listener.via-camel="$VIA_CAMEL" > "$DATA/hub.log" 2>&1 &
HUB=$!
trap 'kill $HUB 2>/dev/null; wait $HUB 2>/dev/null; rm -rf "$DATA"; true' EXIT
for _ in $(seq 180); do curl -fs "localhost:$OPS/actuator/health" | grep -q UP && break; sleep 1; done
cpu() { awk -v t="$TICK" '{print ($14+$15)/t}' "/proc/$HUB/stat"; }
sim() { java -jar "$JAR" camera-sim --url "http://localhost:$1" --batch 1 --clients 20 --count "$2" 2>&1 | grep -Eo '[0-9,.]+ reads/s|p99 [0-9.]+' | paste -sd' '; }
sim "$OPS" 3000 > /dev/null; sim "$CAM" 3000 > /dev/null   # warm both paths' JIT
for r in $(seq "$ROUNDS"); do
  for port in "$OPS" "$CAM"; do
    c0=$(cpu); t0=$(date +%s.%N); rate=$(sim "$port" "$READS"); c1=$(cpu); t1=$(date +%s.%N)
    i0=$(cpu); sleep "$(echo "$t1 - $t0" | bc)"; i1=$(cpu)   # the hub idle for as long
    name=$([[ $port == "$OPS" ]] && echo "ops port (Tomcat)" || echo "camera listener (via-camel=$VIA_CAMEL)")
    awk -v n="$name" -v c="$(echo "$c1 - $c0" | bc)" -v i="$(echo "$i1 - $i0" | bc)" -v reads="$READS" -v rate="$rate" \
      'BEGIN { printf "round %s  %-38s %s  hub CPU %6.0f us/read (busy %.2f s, idle %.2f s)\n", "'"$r"'", n, rate, (c-i)*1e6/reads, c, i }'
  done
done
