#!/usr/bin/env bash
# Measures reads/s into the store over FTP on this machine: starts the hub (embedded PostgreSQL, fresh data dir)
# with the FTP server on and one camera account (folder Driveway = demo camera MPS-HIK-0003, feed hikvision-ftp),
# then runs uk.anprhub.bench.FtpLoad (commons-net, test scope): CLIENTS parallel FTP clients upload FILES Hikvision
# pictures each, once with one login per client and once with one login per file (what Hikvision cameras do).
# Usage: bench/ftp.sh [CLIENTS] [FILES_PER_CLIENT]        (default 8 x 500)
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS="${1:-8}"
FILES="${2:-500}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
FTP_PORT=$(free_port)
MVN="${MVN:-./mvnw}"
DATA="$(mktemp -d /tmp/anpr-bench-ftp.XXXXXX)"
"$MVN" -B -q -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt > /dev/null
PASSWORD="bench-camera-$RANDOM$RANDOM"
HASH="$(echo "$PASSWORD" | bin/anpr-hub hash-password 2>/dev/null | tail -1)"
ANPR_DATA_DIR="$DATA" SERVER_PORT=$PORT bin/anpr-hub run --logging.level.root=WARN \
  --anpr.ftp.enabled=true --anpr.ftp.port=$FTP_PORT --anpr.ftp.passive-ports=0 \
  --logging.level.org.apache.ftpserver.impl.PassivePorts=ERROR \
  --anpr.ftp.accounts[0].user=driveway "--anpr.ftp.accounts[0].password-hash=$HASH" \
  --anpr.ftp.accounts[0].folder=Driveway --anpr.ftp.accounts[0].feed=hikvision-ftp > "$DATA/hub.log" 2>&1 &
HUB=$!
trap 'rc=$?; [[ $rc != 0 ]] && tail -40 "$DATA/hub.log"; kill $HUB 2>/dev/null; wait $HUB 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -sf "http://localhost:$PORT/actuator/health" > /dev/null; do
  kill -0 $HUB 2>/dev/null || { echo "the hub did not start:"; exit 1; }
  sleep 1
done
echo "hub up ($(nproc) cores); $CLIENTS FTP clients x $FILES files each"
CP="target/test-classes:$(cat target/bench-classpath.txt)"
METRICS="http://localhost:$PORT/actuator/prometheus"
java -cp "$CP" uk.anprhub.bench.FtpLoad localhost $FTP_PORT driveway "$PASSWORD" "$CLIENTS" 50 --metrics "$METRICS" > /dev/null  # warm-up
java -cp "$CP" uk.anprhub.bench.FtpLoad localhost $FTP_PORT driveway "$PASSWORD" "$CLIENTS" "$FILES" --metrics "$METRICS"
java -cp "$CP" uk.anprhub.bench.FtpLoad localhost $FTP_PORT driveway "$PASSWORD" "$CLIENTS" "$FILES" --metrics "$METRICS" --connect-per-file
