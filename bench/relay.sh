#!/usr/bin/env bash
# Recording relay benchmark: bench/relay.sh [MEGABYTES]   (default a 256 MiB recording)
#
# Builds nothing. Build first, from the repository root:   ./mvnw -B package -DskipTests
# Starts the real server from dist/target/classtop (with the bundled cctv plugins; temp data dir, a random admin
# token, a free port on 127.0.0.1, pinned to CPU 0), then runs org.classtop.bench.RelayBench pinned to CPU 1: an
# agent in that process serves a recording from memory over the binary lane as the CCTV contract says, and
# GET /api/cctv/{uuid}/recordings/{id}/file downloads it through the server: MB/s for 1 and 4 downloads at once,
# 64 KiB Range reads, and the server's CPU seconds per GB.
# Environment: JAVA_HOME; SERVER_JAVA_OPTS; BENCH_JAVA_OPTS; RELAY_ARGS (e.g. "--rounds 5 --parallel 2").
set -euo pipefail

MEGABYTES=${1:-256}

# shellcheck source=bench/server.sh
source "$(dirname "$0")/server.sh"

status=0
# shellcheck disable=SC2086
CLASSTOP_ADMIN_TOKEN=$TOKEN "${LOAD_PIN[@]}" "$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$JAR" org.classtop.bench.RelayBench \
  --url "$URL" --server-pid "$SERVER_PID" --megabytes "$MEGABYTES" ${RELAY_ARGS:-} || status=$?

if [ "$status" -ne 0 ]; then
  echo "bench: relay benchmark exited with $status; last server output:" >&2
  tail -n 20 "$WORK/server.out" >&2
fi
exit "$status"
