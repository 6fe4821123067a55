#!/usr/bin/env bash
# Video benchmark: bench/video.sh [SECONDS]   (default 10 s per measurement)
#
# Builds nothing. Build first, from the repository root:   ./mvnw -B package -DskipTests
# Starts the real server from dist/target/classtop (with the bundled video-sources plugin; temp data dir, a random
# admin token, a free port on 127.0.0.1, pinned to CPU 0), then runs org.classtop.bench.VideoBench pinned to CPU 1:
# a single-client TCP camera (jpeg-length-prefixed, 30 fps) for 640x480 and 1920x1080, read by 1, 4, 16 and 64
# MJPEG viewers (fps per viewer, drops, server CPU per frame), then the latest-frame route's requests per second.
# Environment: JAVA_HOME; SERVER_JAVA_OPTS; BENCH_JAVA_OPTS; VIDEO_ARGS (e.g. "--viewers 1,16 --sizes 1920x1080").
set -euo pipefail

DURATION=${1:-10}

# shellcheck source=bench/server.sh
source "$(dirname "$0")/server.sh"

status=0
# shellcheck disable=SC2086
CLASSTOP_ADMIN_TOKEN=$TOKEN "${LOAD_PIN[@]}" "$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$JAR" org.classtop.bench.VideoBench \
  --url "$URL" --server-pid "$SERVER_PID" --seconds "$DURATION" ${VIDEO_ARGS:-} || status=$?

if [ "$status" -ne 0 ]; then
  echo "bench: video benchmark exited with $status; last server output:" >&2
  tail -n 20 "$WORK/server.out" >&2
fi
exit "$status"
