#!/usr/bin/env bash
# The benchmark report (docs/performance.md): bench/run.sh short   — a quick check, under two minutes
#                                            bench/run.sh full    — the figures of the docs (~20 minutes)
#                                            bench/run.sh search  — the search benchmark (SearchBench; ROWS, QUERIES,
#                                                                   INGEST_RATE; 10 M rows: ~30 minutes on 2 cores)
# On this one machine it starts PostgreSQL (embedded, or the one in ANPR_DB_URL/ANPR_DB_USER/ANPR_DB_PASSWORD), the
# NAS simulator and the hub as separate processes, drives the hub with camera-sim over HTTP, TCP and FTP, measures a
# delivery drain, an outage with recovery, a PostgreSQL COPY and a plain per-message Camel route, and writes
# report.md, timeline.png, samples.csv and the camera-sim reports to target/bench/ (BENCH_OUT to change).
#                                            bench/run.sh alerts  — hotlists and alerts: 1 M entries, alert latency,
#                                                                   ingest with matching on vs off (~5 minutes; alerts.md)
# Full mode first runs the JMH benchmarks of the hot functions (bench/jmh.sh; BENCH_JMH=0 skips them, e.g. for a
# before/after pair of runs) and profiles the hub with JFR.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-short}"
OUT="${BENCH_OUT:-target/bench}"
case "$MODE" in short|full|alerts|search) ;; *) echo "usage: bench/run.sh short|full|alerts|search" >&2; exit 64 ;; esac
if command -v mvn > /dev/null; then MVN=(mvn); else MVN=(./mvnw); fi
# offline first (the usual case here); online only if something is missing from the local repository
build() { "${MVN[@]}" -B -q -o -Pbench "$@" > /dev/null || "${MVN[@]}" -B -q -Pbench "$@" > /dev/null; }
build -DskipTests package
build dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
mkdir -p "$OUT"
if [[ "$MODE" == alerts ]]; then
  # BENCH_JAVA_OPTS: -Dbench.* settings of AlertBench (warm-up, phases, hub JVM options for a JFR recording, ...)
  exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" uk.anprhub.bench.run.AlertBench "$OUT"
fi
if [[ "$MODE" == search ]]; then
  exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" uk.anprhub.bench.search.SearchBench "$OUT"
fi
if [[ "$MODE" == full && "${BENCH_JMH:-1}" != 0 ]]; then
  BENCH_SKIP_BUILD=1 bench/jmh.sh -wi 5 -i 5   # longer than jmh.sh's defaults: steadier figures for the report
fi
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" uk.anprhub.bench.run.BenchRun "$MODE" "$OUT"
