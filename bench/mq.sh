#!/usr/bin/env bash
# Measures reads/s into the store over Kafka and MQTT on this machine (docs/transports.md): starts a KRaft Kafka
# broker and an MQTT 5 broker (Artemis) in one JVM, puts N single-read messages on them, then starts the hub (its
# jar, embedded PostgreSQL in a fresh folder, the route files of this tree) and times the drain into PostgreSQL.
# Usage: bench/mq.sh [N] [kafka|mqtt|both] [extra hub arguments, e.g. --anpr.kafka.nas-json.consumers=2]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
WHAT="${2:-both}"
shift $(( $# > 2 ? 2 : $# ))
MVN="${MVN:-./mvnw}"   # e.g. MVN="mvn -o" for an offline Maven
$MVN -B -q -Pbench -DskipTests package
CP="$($MVN -B -q -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
echo "$(nproc) cores; $N messages per transport"
java -cp "target/test-classes:target/classes:$CP" uk.anprhub.bench.MqThroughput "$WHAT" "$N" target/anpr-hub.jar "$@"
