#!/usr/bin/env bash
# Routed-command benchmark through an LMS: bench/lms-relay.sh [RELAYS] [AGENTS] [WINDOW]   (defaults 5000 20 32)
#
# Compiles plugins/management-sync and what it needs (offline, no tests run), then runs its test-scoped
# org.classtop.plugins.managementsync.site.RelayBench in one JVM: a real LMS (in-process server, SQLite, the
# site part of management-sync) holding AGENTS fake agents that answer "echo", and a stand-in centre that sends
# lms_relay frames over the LMS's WebSocket. Prints the round trip p50/p99/max one at a time and with WINDOW in
# flight, relays/s and the process CPU. Environment: JAVA_HOME; BENCH_JAVA_OPTS; MVN_ARGS (default "-o").
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT

# shellcheck disable=SC2086
./mvnw -B -q ${MVN_ARGS:--o} -pl plugins/management-sync -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
MODULE=plugins/management-sync
# shellcheck disable=SC2086
"$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$CP_FILE")" \
  org.classtop.plugins.managementsync.site.RelayBench "${1:-5000}" "${2:-20}" "${3:-32}"
