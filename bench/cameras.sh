#!/usr/bin/env bash
# Agent camera benchmark: bench/cameras.sh [SECONDS] [SOURCE]   (default 20 s, lavfi:testsrc=size=1280x720:rate=30)
#
# Compiles plugins/cctv-cameras and what it needs (offline, no tests run), then runs its test-scoped
# org.classtop.plugins.cctv.cameras.agent.CameraBench in one JVM: one camera (one grabber) feeding a recorder-like
# consumer (H.264 when this FFmpeg build has an encoder for it, else MPEG-4, to an MP4 file), a 2 fps preview
# scaled to 640 px and a snapshot every second. Prints frames/s of the camera and of each consumer and the
# process CPU. Environment: JAVA_HOME; BENCH_JAVA_OPTS; MVN_ARGS (e.g. "-o" is the default).
set -euo pipefail

cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-20}
SOURCE=${2:-lavfi:testsrc=size=1280x720:rate=30}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT

# shellcheck disable=SC2086
./mvnw -B -q ${MVN_ARGS:--o} -pl plugins/cctv-cameras -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
MODULE=plugins/cctv-cameras
# shellcheck disable=SC2086
"$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$CP_FILE")" \
  org.classtop.plugins.cctv.cameras.agent.CameraBench "$SECONDS_TO_RUN" "$SOURCE"
