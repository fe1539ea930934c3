#!/usr/bin/env bash
# PostgreSQL CPU per read for three delivery outbox designs (issue 17): today's delivery row per read, a PgQ-style
# xid8 cursor, and no outbox (the floor). uk.anprhub.bench.OutboxCost; writes target/bench/outbox.md.
# Usage: bench/outbox.sh [reads per scenario, default 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v mvn > /dev/null; then MVN=(mvn); else MVN=(./mvnw); fi
build() { "${MVN[@]}" -B -q -o -Pbench "$@" > /dev/null || "${MVN[@]}" -B -q -Pbench "$@" > /dev/null; }
build test-compile
build dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx1g ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" uk.anprhub.bench.OutboxCost "${1:-100000}" "${BENCH_OUT:-target/bench}/outbox.md"
