# Shared by the bench scripts (sourced, not run): checks the build, pins the server to CPU 0 and the load to CPU 1
# when it can, starts the real server from dist/target/classtop (temp data dir, open enrolment, a random admin
# token, a free port on 127.0.0.1), waits for /healthz and stops it with SIGTERM on exit.
# SERVER_ARGS (an array, set before sourcing) adds flags to the server. SERVER_AUTOSTART=0 (set before sourcing)
# leaves starting it to the caller: start_server DATA_DIR, wait_healthz, stop_server.
# Sets ROOT, DIST, JAR, JAVA, SERVER_PIN, LOAD_PIN, PINNING, WORK, PORT, TOKEN, URL, SERVER_OUT and SERVER_PID;
# load_java CLASS ARGS... runs a class of the load generator pinned to CPU 1 with the admin token.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIST=$ROOT/dist/target/classtop
JAR=$(ls "$ROOT"/bench/target/classtop-bench-*-jar-with-dependencies.jar 2>/dev/null | head -n 1 || true)
if [ ! -x "$DIST/bin/classtop-lms" ] || [ -z "$JAR" ]; then
  echo "bench: build first, from the repository root: ./mvnw -B package -DskipTests" >&2
  exit 2
fi
if ! command -v curl >/dev/null 2>&1; then
  echo "bench: curl is needed to wait for /healthz" >&2
  exit 2
fi
JAVA=java
if [ -n "${JAVA_HOME:-}" ]; then JAVA=$JAVA_HOME/bin/java; fi

SERVER_PIN=()
LOAD_PIN=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  SERVER_PIN=(taskset -c 0)
  LOAD_PIN=(taskset -c 1)
  PINNING="server pinned to CPU 0, load generator to CPU 1"
else
  PINNING="NOT pinned (needs taskset and 2 CPUs): figures are not comparable"
fi

# A port nobody listens on (probed; the server is told to use it right away), below Linux's ephemeral range
# (32768 and up), where the agents' own connections would take it.
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 12000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  echo "bench: no free port found" >&2
  return 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/classtop-bench.XXXXXX")
SERVER_PID=""
SERVER_OUT=$WORK/server.out

# Stops the server with SIGTERM (SIGKILL after 30 s) and says how long that took.
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    local t0=$SECONDS code=0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "bench: server did not stop within 30 s of SIGTERM; killing it" >&2
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || code=$?
    echo "server stopped by SIGTERM in about $((SECONDS - t0)) s (exit status $code)"
  fi
  SERVER_PID=""
}

cleanup() {
  stop_server
  if [ -n "${KEEP_LOGS:-}" ]; then
    mkdir -p "$KEEP_LOGS" && cp "$WORK"/*.out "$KEEP_LOGS"/ 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Picks a new free port for the next server (PORT and URL).
new_port() {
  PORT=$(free_port)
  URL=http://127.0.0.1:$PORT
}

new_port
TOKEN=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')

echo "machine: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //'), $(nproc) CPUs, $("$JAVA" -version 2>&1 | head -n 1)"
echo "setup: $PINNING"

# Starts the server on DATA_DIR (created when missing) and $PORT, its output appended to $SERVER_OUT.
# bin/classtop-lms execs java, so $! is the server JVM's PID.
start_server() {
  CLASSTOP_ENROLLMENT=open CLASSTOP_ADMIN_TOKEN=$TOKEN \
  CLASSTOP_JAVA_OPTS="-Dclasstop.log.dir=$WORK/logs ${SERVER_JAVA_OPTS:-}" \
    "${SERVER_PIN[@]}" "$DIST/bin/classtop-lms" --port "$PORT" --bind 127.0.0.1 --data "$1" ${SERVER_ARGS[@]+"${SERVER_ARGS[@]}"} \
    >>"$SERVER_OUT" 2>&1 </dev/null &
  SERVER_PID=$!
}

# Waits (60 s at most, polling every HEALTHZ_POLL_MS milliseconds, default 100) until /healthz answers; on failure says
# why with the server's last output and returns 1.
wait_healthz() {
  for _ in $(seq 1 $(( 60 * 1000 / ${HEALTHZ_POLL_MS:-100} ))); do
    if "${LOAD_PIN[@]}" curl -fsS -o /dev/null "$URL/healthz" 2>/dev/null; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "bench: the server exited before it was ready; its output:" >&2
      tail -n 40 "$SERVER_OUT" >&2
      return 1
    fi
    sleep "$(printf '0.%03d' "${HEALTHZ_POLL_MS:-100}")"
  done
  echo "bench: the server did not answer /healthz within 60 s; its output:" >&2
  tail -n 40 "$SERVER_OUT" >&2
  return 1
}

load_java() {
  local class=$1
  shift
  # shellcheck disable=SC2086
  CLASSTOP_ADMIN_TOKEN=$TOKEN "${LOAD_PIN[@]}" "$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$JAR" "org.classtop.bench.$class" "$@"
}

if [ "${SERVER_AUTOSTART:-1}" != 0 ]; then
  start_server "$WORK/data"
  wait_healthz || exit 1
fi
