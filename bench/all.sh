#!/usr/bin/env bash
# Every figure of the performance table in one run: bench/all.sh
#
# Builds nothing. Build first, from the repository root:   ./mvnw -B package -DskipTests
# Runs the real server from dist/target/classtop (pinned to CPU 0; SERVER_JAVA_OPTS passed through) and the load
# generator (pinned to CPU 1), one phase after the other, each on a fresh temp data folder:
#   1. start time: process start -> /healthz answers, STARTS fresh starts (min / median / max); then the RSS with no
#      agents SETTLE s after a restart on the last one's data;
#   2. RSS with no agents, with each of FLEET_STEPS agents, VmHWM; idle CPU with the last step heartbeating;
#      kill -9 and restart on the same data folder and port, then a planned restart (SIGTERM, close 1012): how
#      long until every agent (reconnecting with the real agent's ReconnectPolicy) is registered again;
#   3. command round trips at RTT_RATE/s with RTT_AGENTS agents: the first COLD_SECONDS after start and the
#      WARM_SECONDS after them, on COLD_RUNS fresh starts; on the last one, the rate steps up through RATE_STEPS
#      (STEP_SECONDS each) until p99 > 50 ms, the rate is not reached or errors appear.
# Prints plain lines as it goes, and at the end a markdown table "| figure | value |".
# A phase that fails says why and the next one runs.
#
# Environment (defaults in brackets): QUICK=1 (a short run to test the script: 1,000 agents, 2 starts, 1 cold run,
# short idle window and steps), STARTS [5], FLEET_STEPS [1000,10000], SETTLE [10], IDLE_SETTLE [30],
# IDLE_SECONDS [60], HEARTBEAT [30], STORM [1], PLANNED [1], COLD_RUNS [3], COLD_SECONDS [20], WARM_SECONDS [20],
# RTT_AGENTS [1000], RTT_RATE [1000], RATE_STEPS [2000,4000,5000,6000,7000,8000,10000,12000,14000,16000], STEP_SECONDS [12],
# PHASES [start,fleet,rtt] (a subset runs only those), SERVER_JAVA_OPTS, BENCH_JAVA_OPTS, JAVA_HOME.
set -euo pipefail

if [ "${QUICK:-0}" = 1 ]; then
  : "${STARTS:=2}" "${FLEET_STEPS:=1000}" "${SETTLE:=3}" "${IDLE_SETTLE:=3}" "${IDLE_SECONDS:=10}" "${COLD_RUNS:=1}"
  : "${COLD_SECONDS:=10}" "${WARM_SECONDS:=10}" "${RATE_STEPS:=2000,4000}" "${STEP_SECONDS:=5}"
fi
STARTS=${STARTS:-5}
FLEET_STEPS=${FLEET_STEPS:-1000,10000}
SETTLE=${SETTLE:-10}
IDLE_SETTLE=${IDLE_SETTLE:-30}
IDLE_SECONDS=${IDLE_SECONDS:-60}
HEARTBEAT=${HEARTBEAT:-30}
STORM=${STORM:-1}
PLANNED=${PLANNED:-1}
COLD_RUNS=${COLD_RUNS:-3}
COLD_SECONDS=${COLD_SECONDS:-20}
WARM_SECONDS=${WARM_SECONDS:-20}
RTT_AGENTS=${RTT_AGENTS:-1000}
RTT_RATE=${RTT_RATE:-1000}
RATE_STEPS=${RATE_STEPS:-2000,4000,5000,6000,7000,8000,10000,12000,14000,16000}
STEP_SECONDS=${STEP_SECONDS:-12}
PHASES=${PHASES:-start,fleet,rtt}

SERVER_AUTOSTART=0
# shellcheck source=bench/server.sh
source "$(dirname "$0")/server.sh"

ROWS=()
BEGAN=$SECONDS

# Copies the load generator's output: "row: ..." lines go to the final table, the others are printed.
collect() {
  local line
  while IFS= read -r line; do
    case $line in
      "row: "*) ROWS+=("${line#row: }") ;;
      *) echo "$line" ;;
    esac
  done
}

phase() {
  echo
  echo "== $1 ($((SECONDS - BEGAN)) s into the run; load average $(cut -d' ' -f1-3 /proc/loadavg))"
}

wants() {
  [[ ",$PHASES," == *",$1,"* ]]
}

# --- 1. start time -----------------------------------------------------------------------------------------------
start_times() {
  phase "start time: process start -> /healthz answers, all bundled plugins, empty data folder, $STARTS fresh starts"
  local times=() i t0 t1 ms
  for i in $(seq 1 "$STARTS"); do
    SERVER_OUT=$WORK/start-$i.out
    t0=$(date +%s%N)
    new_port
    start_server "$WORK/start-$i"
    if ! HEALTHZ_POLL_MS=10 wait_healthz; then
      echo "start $i: the server did not come up (see above)"
      stop_server
      continue
    fi
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    times+=("$ms")
    echo "start $i: /healthz answered $ms ms after the process started"
    stop_server >/dev/null
  done
  # The idle footprint a school sees most days: after a restart (no first-start work: migrations, the admin's hash).
  if [ "${#times[@]}" -gt 0 ]; then
    SERVER_OUT=$WORK/restart.out
    new_port
    start_server "$WORK/start-$STARTS"
    if wait_healthz; then
      sleep "$SETTLE"
      local rss_kib rss
      rss_kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status")
      rss="$((rss_kib / 1024)).$(( (rss_kib % 1024) * 10 / 1024 )) MiB"
      echo "RSS with no agents, $SETTLE s after a restart on the last start's data: $rss"
      ROWS+=("| RSS with no agents, $SETTLE s after a restart | $rss |")
    fi
    stop_server >/dev/null
  fi
  SERVER_OUT=$WORK/server.out
  if [ "${#times[@]}" -eq 0 ]; then
    ROWS+=("| start to /healthz | n/a: the server never came up |")
    return
  fi
  local sorted
  mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
  local n=${#sorted[@]}
  local summary
  summary=$(printf '%d / %d / %d ms (min / median / max of %d)' "${sorted[0]}" "${sorted[$((n / 2))]}" "${sorted[$((n - 1))]}" "$n")
  echo "start time: $summary"
  ROWS+=("| start to /healthz, all bundled plugins, empty data | $summary |")
  local started
  started=$(grep -h "started in" "$WORK/start-$STARTS.out" 2>/dev/null | tail -n 1 || true)
  if [ -n "$started" ]; then
    echo "the server's own account of the last start: $started"
  fi
}

# --- 2. RSS, idle CPU, reconnect storm, planned restart --------------------------------------------------------------
fleet() {
  phase "RSS and idle CPU with $FLEET_STEPS agents; kill -9 and a planned restart with them"
  local data=$WORK/fleet
  new_port
  start_server "$data"
  if ! wait_healthz; then
    ROWS+=("| RSS, idle CPU, restarts | n/a: the server did not start |")
    return
  fi
  # The load generator may end early (it says why): writing to it must not end this script.
  trap '' PIPE
  coproc FLEET { load_java FleetBench --url "$URL" --server-pid "$SERVER_PID" --steps "$FLEET_STEPS" \
    --settle "$SETTLE" --idle-settle "$IDLE_SETTLE" --idle-seconds "$IDLE_SECONDS" --heartbeat "$HEARTBEAT" \
    --storm "$STORM" --planned "$PLANNED" 2>&1; }
  local from_load to_load line load_pid=$FLEET_PID
  exec {from_load}<&"${FLEET[0]}" {to_load}>&"${FLEET[1]}"
  while IFS= read -r line <&"$from_load"; do
    case $line in
      "control: restart")
        # The load generator signalled the server; start it again on the same data folder and port.
        wait "$SERVER_PID" 2>/dev/null || true
        start_server "$data"
        echo "pid $SERVER_PID" >&"$to_load" 2>/dev/null || true
        ;;
      "control: "*) ;;
      "row: "*) ROWS+=("${line#row: }") ;;
      *) echo "$line" ;;
    esac
  done
  exec {from_load}<&- {to_load}>&-
  wait "$load_pid" 2>/dev/null || echo "fleet: the load generator exited with status $?"
  trap - PIPE
  stop_server
}

# --- 3. command round trips ------------------------------------------------------------------------------------------
round_trips() {
  local run args
  for run in $(seq 1 "$COLD_RUNS"); do
    phase "command round trip at $RTT_RATE/s, $RTT_AGENTS agents, fresh start $run of $COLD_RUNS: first $COLD_SECONDS s, then $WARM_SECONDS s"
    new_port
    start_server "$WORK/rtt-$run"
    if ! wait_healthz; then
      ROWS+=("| round trip, start $run | n/a: the server did not start |")
      continue
    fi
    args=(--url "$URL" --server-pid "$SERVER_PID" --agents "$RTT_AGENTS" --rate "$RTT_RATE" --warmup "$COLD_SECONDS"
          --seconds "$WARM_SECONDS" --drain 20 --table-label ", start $run")
    if [ "$run" = "$COLD_RUNS" ] && [ -n "$RATE_STEPS" ]; then
      args+=(--ladder "$RATE_STEPS" --ladder-seconds "$STEP_SECONDS")
    fi
    collect < <(load_java Bench "${args[@]}" 2>&1 || echo "round trips, start $run: the load generator exited with status $?")
    stop_server
  done
}

wants start && start_times
wants fleet && fleet
wants rtt && round_trips

echo
echo "== all figures ($((SECONDS - BEGAN)) s; $PINNING; SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-none}; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| figure | value |"
echo "|---|---|"
printf '%s\n' "${ROWS[@]}"
