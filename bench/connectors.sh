#!/usr/bin/env bash
# Per-connector throughput of decode + JSLT mapping + normalisation on ONE core (no HTTP, no database, no file I/O).
# Builds the test classes, then runs uk.anprhub.bench.ConnectorThroughput (src/test/java) pinned to one CPU with
# taskset, one fresh JVM per connector, and prints a Markdown table. Results: docs/performance-connectors.md.
#
# Usage: bench/connectors.sh [connector-id ...] [--warmup-s 3] [--iterations 5] [--iteration-s 2] [--no-fork] [--jfr DIR]
#        (durations are CPU seconds of the measuring JVM; --jfr DIR: JFR recording per connector in DIR/<id>.jfr,
#        and the hot spots of the measured iterations printed under "Notes")
# Env:   BENCH_CPU=1            the CPU to pin to (default 1, or 0 on a one-CPU machine)
#        BENCH_JVM_ARGS="..."   extra JVM options for the measuring JVMs (e.g. -XX:StartFlightRecording=...)
#        BENCH_SKIP_BUILD=1     do not run Maven (classes and target/bench.classpath already there)
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v mvn > /dev/null; then MVN=(mvn); else MVN=(./mvnw); fi
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  # offline first (the usual case here); online only if something is missing from the local repository
  if ! "${MVN[@]}" -B -q -o -Pbench test-compile >&2; then
    echo "connectors.sh: offline build failed, retrying online" >&2
    "${MVN[@]}" -B -q -Pbench test-compile >&2
  fi
  "${MVN[@]}" -B -q -o -Pbench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2 \
    || "${MVN[@]}" -B -q -Pbench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
fi
# Run from a private copy of the classes: other builds in this work tree (mvn clean, test) must not pull them away
# mid-run. The harness needs only its own package from the test classes.
RUN_DIR="$(mktemp -d /tmp/anpr-bench-connectors.XXXXXX)"
trap 'rm -rf "$RUN_DIR"' EXIT
mkdir -p "$RUN_DIR/test-classes/uk/anprhub"
cp -r target/classes "$RUN_DIR/classes"
cp -r target/test-classes/uk/anprhub/bench "$RUN_DIR/test-classes/uk/anprhub/bench"
CP="$RUN_DIR/test-classes:$RUN_DIR/classes:$(cat target/bench.classpath)"

PIN=()
if command -v taskset > /dev/null; then
  CPU="${BENCH_CPU:-$( (( $(nproc) > 1 )) && echo 1 || echo 0)}"
  PIN=(taskset -c "$CPU")
  echo "connectors.sh: pinned to CPU $CPU of $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
else
  echo "connectors.sh: taskset not found, NOT pinned to one core (figures are still single-threaded)" >&2
fi

# BENCH_JVM_ARGS go to the JVMs that measure: the forked ones, or this one with --no-fork (never both, so that a
# JFR recording is written once).
OWN=()
FORKED=()
SLF4J=(-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider -Dslf4j.internal.verbosity=ERROR)
if [[ " $* " == *" --no-fork "* ]]; then OWN=(${BENCH_JVM_ARGS:-}); else FORKED=(-Dbench.jvmArgs="${BENCH_JVM_ARGS:-}"); fi
if [[ " $* " == *" --no-fork "* && " $* " == *" --jfr "* ]]; then
  OWN+=(-XX:FlightRecorderOptions:stackdepth=256 -XX:StartFlightRecording:settings=profile
        -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
fi
"${PIN[@]}" java -Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch "${OWN[@]}" "${FORKED[@]}" "${SLF4J[@]}" \
  -cp "$CP" uk.anprhub.bench.ConnectorThroughput "$@"
