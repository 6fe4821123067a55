#!/usr/bin/env bash
# Server benchmark: bench/run.sh [AGENTS] [RATE] [SECONDS]   (defaults: 1000 agents, 1000 commands/s, 30 s)
#
# Builds nothing. Build first, from the repository root:   ./mvnw -B package -DskipTests
# Then it starts the real server from dist/target/classtop (temp data dir, open enrolment, a random admin token,
# a free port on 127.0.0.1, pinned to CPU 0), waits for /healthz, runs the load generator pinned to CPU 1
# (AGENTS WebSocket agents answering "echo", then RATE REST commands per second for SECONDS after a 15 s warm-up (the JIT compiles the hot path)),
# prints the figures as plain lines, stops the server (SIGTERM) and removes the temp dir.
#
# Environment: JAVA_HOME; SERVER_JAVA_OPTS (JVM options for the server, e.g. -Xmx1g); LIVE_TABS (default 0:
# that many admin-UI live feeds, GET /api/live with curl, stay open during the run; their message counts are printed);
# STALLED (default 0: that many extra agents register and stop reading, and 200 KiB commands flood them for the
# whole run: the hostile case); BENCH_JAVA_OPTS (JVM options for the load generator); BENCH_ARGS (more load generator flags, e.g.
# "--warmup 10 --connections 64"; see org.classtop.bench.Bench).
set -euo pipefail

AGENTS=${1:-1000}
RATE=${2:-1000}
DURATION=${3:-30}

# shellcheck source=bench/server.sh
source "$(dirname "$0")/server.sh"

LIVE_PIDS=()
for i in $(seq 1 "${LIVE_TABS:-0}"); do
  "${LOAD_PIN[@]}" curl -sN -H "Authorization: Bearer $TOKEN" "$URL/api/live" >"$WORK/live-$i.txt" 2>/dev/null &
  LIVE_PIDS+=("$!")
done

status=0
# shellcheck disable=SC2086
load_java Bench --url "$URL" --server-pid "$SERVER_PID" --agents "$AGENTS" --rate "$RATE" --seconds "$DURATION" \
  --stalled "${STALLED:-0}" ${BENCH_ARGS:-} || status=$?

if [ "${#LIVE_PIDS[@]}" -gt 0 ]; then
  kill "${LIVE_PIDS[@]}" 2>/dev/null || true
  wait "${LIVE_PIDS[@]}" 2>/dev/null || true
  for i in $(seq 1 "${#LIVE_PIDS[@]}"); do
    echo "live tab $i: $(grep -c '^data:' "$WORK/live-$i.txt" || true) messages ($(grep -c '"client.connected"' "$WORK/live-$i.txt" || true) client.connected, $(grep -c '"type":"commands"' "$WORK/live-$i.txt" || true) commands notices)"
  done
fi

if [ "$status" -ne 0 ]; then
  echo "bench: load generator exited with $status; last server output:" >&2
  tail -n 20 "$SERVER_OUT" >&2
fi
exit "$status"
