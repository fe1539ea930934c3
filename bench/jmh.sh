#!/usr/bin/env bash
# JMH micro-benchmarks of the hub's hot functions (src/bench/java/uk/anprhub/bench/jmh; Maven profile bench):
#   ConnectorBenchmark    decode + JSLT mapping + normalisation per connector on its positive samples (reads/s)
#   NormaliserBenchmark   normalisation + validation of one canonical read alone (reads/s)
#   BatchInsertBenchmark  ReadWriter group commit of 500 canonical reads into an embedded PostgreSQL (reads/s)
#   PictureReadBenchmark  one nas-json read with a 100 KB / 1 MB inline picture, pictures as spans or as text (-prof gc)
#   JsonBindBenchmark     tree -> VendorRead and the stored body, with and without Jackson's Blackbird module
# Builds the test classes and the test classpath (offline first), runs org.openjdk.jmh.Main, writes
# target/bench/jmh.json (JMH JSON) and target/bench/jmh.md (Markdown table). Not part of the test suite.
#
# Usage: bench/jmh.sh [JMH args...]      e.g. bench/jmh.sh ConnectorBenchmark -p connector=hikvision-isapi
#                                             bench/jmh.sh Normaliser -wi 5 -i 10
# Defaults (the whole set in ~3 minutes on 2 cores): -f 1 -wi 3 -w 1s -i 3 -r 1s, -p connector=<every connector
# in connectors/>; each only when you do not give that option yourself (JMH refuses an option twice).
# Env:   BENCH_SKIP_BUILD=1   do not run Maven (classes and target/bench.classpath already there)
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v mvn > /dev/null; then MVN=(mvn); else MVN=(./mvnw); fi
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  # offline first (the usual case here); online only if something is missing from the local repository
  if ! "${MVN[@]}" -B -q -o -Pbench test-compile >&2; then
    echo "jmh.sh: offline build failed, retrying online" >&2
    "${MVN[@]}" -B -q -Pbench test-compile >&2
  fi
  "${MVN[@]}" -B -q -o -Pbench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2 \
    || "${MVN[@]}" -B -q -Pbench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
fi
# Run from a private copy of the classes: other builds in this work tree (mvn clean, test) must not pull them away
# mid-run. JMH needs the benchmarks, their generated code, META-INF/BenchmarkList and the shared bench helpers.
RUN_DIR="$(mktemp -d /tmp/anpr-bench-jmh.XXXXXX)"
trap 'rm -rf "$RUN_DIR"' EXIT
mkdir -p "$RUN_DIR/test-classes/uk/anprhub"
cp -r target/classes "$RUN_DIR/classes"
cp -r target/test-classes/uk/anprhub/bench "$RUN_DIR/test-classes/uk/anprhub/bench"
cp -r target/test-classes/META-INF "$RUN_DIR/test-classes/META-INF"
CP="$RUN_DIR/test-classes:$RUN_DIR/classes:$(cat target/bench.classpath)"

mkdir -p target/bench
OUT_JSON="$PWD/target/bench/jmh.json"
OUT_MD="$PWD/target/bench/jmh.md"
CONNECTORS="$(for d in connectors/*/connector.yaml; do basename "$(dirname "$d")"; done | grep -v '^_' | paste -sd, -)"
# JMH refuses an option given twice: add each default only when the caller did not give it.
DEFAULTS=()
for kv in "-f 1" "-wi 3" "-w 1s" "-i 3" "-r 1s"; do
  opt="${kv%% *}"
  given=0
  for a in "$@"; do [[ "$a" == "$opt" ]] && given=1; done
  (( given )) || DEFAULTS+=($kv)
done
if [[ " $* " != *" connector="* ]]; then DEFAULTS+=(-p "connector=$CONNECTORS"); fi

SLF4J=(-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider -Dslf4j.internal.verbosity=ERROR)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
STARTED="$(date -u +%FT%TZ)"
echo "jmh.sh: load average before: $LOAD_BEFORE" >&2
java -Xmx512m "${SLF4J[@]}" -cp "$CP" org.openjdk.jmh.Main \
  -jvmArgsAppend "-Danpr.home=$PWD -Xms1g -Xmx1g ${SLF4J[*]}" "${DEFAULTS[@]}" -rf json -rff "$OUT_JSON" "$@"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
java "${SLF4J[@]}" -cp "$CP" uk.anprhub.bench.jmh.JmhMarkdown "$OUT_JSON" "$OUT_MD" \
  "Run started $STARTED on $(nproc) CPU(s), $(java -version 2>&1 | head -1); load average before: $LOAD_BEFORE, after: $LOAD_AFTER. Command: \`bench/jmh.sh $*\`" > /dev/null
echo "jmh.sh: wrote $OUT_JSON and $OUT_MD" >&2
