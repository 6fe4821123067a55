#!/usr/bin/env bash
# Management (centre) benchmark: bench/management.sh [LMS] [CLIENTS] [INTERVAL] [ROUNDS]   (defaults 1000 50 30 3)
#
# Builds nothing. Build first, from the repository root:   ./mvnw -B package -DskipTests
# Creates a fresh PostgreSQL database (psql, 127.0.0.1:5432, user postgres; dropped at the end; MANAGEMENT_DB_URL
# instead uses the given JDBC URL as it is), starts the real server from dist/target/classtop with --role management
# --db-url <it> (pinned to CPU 0), then runs org.classtop.bench.ManagementBench pinned to CPU 1: LMS register, each
# heartbeats its client list every INTERVAL seconds at its own offset (a first round inserting every client row,
# then ROUNDS steady rounds where 2% of clients change status per heartbeat), then 10 fake LMS on /ws answer
# lms_relay while POST /api/control/command goes to their clients at 100/s for 20 s (heartbeats continue); then
# the same through a REAL LMS: a second bin/classtop-lms (SQLite, own data folder, pinned to CPU 1) started with
# --management-url at the centre, holding REAL_LMS_AGENTS (default 20) fake agents that answer "echo": centre ->
# LMS WebSocket -> the site part relays with the platform's AgentCommands -> agent, and back.
# Prints server CPU and database rows/s per phase and both routed round trips p50/p99. REAL_LMS=0 skips the real LMS.
# Environment: JAVA_HOME; SERVER_JAVA_OPTS; BENCH_JAVA_OPTS; MANAGEMENT_ARGS (e.g. "--churn 0.1 --rtt-rate 200").
set -euo pipefail

LMS=${1:-1000}
CLIENTS=${2:-50}
INTERVAL=${3:-30}
ROUNDS=${4:-3}

DB_NAME=""
if [ -z "${MANAGEMENT_DB_URL:-}" ]; then
  if ! command -v psql >/dev/null 2>&1; then
    echo "bench: psql is needed to create the PostgreSQL database (or set MANAGEMENT_DB_URL)" >&2
    exit 2
  fi
  DB_NAME=classtop_bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $DB_NAME" postgres
  MANAGEMENT_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB_NAME?user=postgres"
fi
drop_db() {
  if [ -n "$DB_NAME" ]; then
    psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" postgres || true
  fi
}

SERVER_ARGS=(--role management --db-url "$MANAGEMENT_DB_URL")
# shellcheck source=bench/server.sh
source "$(dirname "$0")/server.sh"
trap 'cleanup; drop_db' EXIT
echo "database: PostgreSQL ($MANAGEMENT_DB_URL)"

# The real LMS (site part of management-sync) reporting to this centre every 2 s.
REAL_ARGS=()
LMS_PID=""
stop_lms() {
  if [ -n "$LMS_PID" ] && kill -0 "$LMS_PID" 2>/dev/null; then
    kill -TERM "$LMS_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$LMS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$LMS_PID" 2>/dev/null || true
  fi
}
trap 'stop_lms; cleanup; drop_db' EXIT
if [ "${REAL_LMS:-1}" != "0" ]; then
  LMS_PORT=$(free_port)
  CLASSTOP_ENROLLMENT=open CLASSTOP_ADMIN_TOKEN=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
  CLASSTOP_JAVA_OPTS="-Dclasstop.log.dir=$WORK/lms-logs" \
    "${LOAD_PIN[@]}" "$DIST/bin/classtop-lms" --port "$LMS_PORT" --bind 127.0.0.1 --data "$WORK/lms-data" \
    --management-url "$URL" --management-token "$TOKEN" --management-interval 2 >"$WORK/lms.out" 2>&1 </dev/null &
  LMS_PID=$!
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$LMS_PORT/healthz" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "real LMS: http://127.0.0.1:$LMS_PORT (pid $LMS_PID), reporting to the centre every 2 s"
  REAL_ARGS=(--real-lms "http://127.0.0.1:$LMS_PORT" --real-lms-agents "${REAL_LMS_AGENTS:-20}")
fi

status=0
# shellcheck disable=SC2086
CLASSTOP_ADMIN_TOKEN=$TOKEN "${LOAD_PIN[@]}" "$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$JAR" org.classtop.bench.ManagementBench \
  --url "$URL" --server-pid "$SERVER_PID" --lms "$LMS" --clients "$CLIENTS" --interval "$INTERVAL" --rounds "$ROUNDS" \
  ${REAL_ARGS[@]+"${REAL_ARGS[@]}"} ${MANAGEMENT_ARGS:-} || status=$?

if [ "$status" -ne 0 ]; then
  echo "bench: management benchmark exited with $status; last server output:" >&2
  tail -n 20 "$WORK/server.out" >&2
fi
exit "$status"
