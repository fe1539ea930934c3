#!/usr/bin/env bash
# PostgreSQL CPU per read (issue 17), measured from /proc on an embedded PostgreSQL started as the hub starts its own:
#   bench/pgcost.sh outbox [reads]  — the delivery outbox as a row per read vs an xid8 cursor vs none (OutboxCost)
#   bench/pgcost.sh insert [reads]  — a batch of reads by INSERT ... unnest vs binary COPY into staging vs COPY (InsertCost)
# reads per scenario: default 100000. Writes target/bench/outbox.md or insert.md (BENCH_OUT to change the folder).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in outbox) MAIN=uk.anprhub.bench.OutboxCost ;; insert) MAIN=uk.anprhub.bench.InsertCost ;;
  *) echo "usage: bench/pgcost.sh outbox|insert [reads]" >&2; exit 64 ;; esac
if command -v mvn > /dev/null; then MVN=(mvn); else MVN=(./mvnw); fi
build() { "${MVN[@]}" -B -q -o -Pbench "$@" > /dev/null || "${MVN[@]}" -B -q -Pbench "$@" > /dev/null; }
build test-compile
build dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx1g ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$MAIN" "${2:-100000}" "${BENCH_OUT:-target/bench}/$1.md"
