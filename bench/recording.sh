#!/usr/bin/env bash
# Agent recording benchmark: bench/recording.sh [SECONDS] [WxH] [FPS]   (default 20 s, 1280x720, 30 fps)
#
# Compiles plugins/cctv-recording and what it needs (offline, no tests run), then runs its test-scoped
# org.classtop.plugins.cctv.recording.agent.RecordingBench in one JVM:
#  1. one lavfi camera recorded by the real recorder (segments of 10 s): frames/s grabbed and recorded, the MB
#     written, process CPU (grabber + recorder);
#  2. cctv_recording_read of a 64 MiB recording through the real agent runtime and the real server in-process
#     (loopback WebSocket, binary lane with credit): MB/s from the command to the last byte at the receiver.
# Environment: JAVA_HOME; BENCH_JAVA_OPTS; MVN_ARGS ("-o" by default).
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT

# shellcheck disable=SC2086
./mvnw -B -q ${MVN_ARGS:--o} -pl plugins/cctv-recording -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
MODULE=plugins/cctv-recording
# shellcheck disable=SC2086
"$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$CP_FILE")" \
  org.classtop.plugins.cctv.recording.agent.RecordingBench "${1:-20}" "${2:-1280x720}" "${3:-30}"
