#!/usr/bin/env bash
# How long a plugin takes to reach the classroom PCs: the real server (its bundled plugins minus `settings`)
# and N real agent processes with the same plugins in their own folders (as installed from the same
# distribution: the server's first announce changes nothing); then, with an admin token:
#   upload settings-*.jar (POST /api/plugins)      -> time to the 201, and until every agent runs get_setting
#   disable (POST /api/plugins/settings/disable)   -> until no agent lists get_setting any more
#   enable  (POST /api/plugins/settings/enable)    -> until every agent lists it again (from its cache)
# Usage: bench/plugin-rollout.sh [agents=5]   (build first: ./mvnw -B package -DskipTests)
set -euo pipefail
AGENTS=${1:-5}
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SERVER_PLUGINS=$(mktemp -d "${TMPDIR:-/tmp}/classtop-rollout-plugins.XXXXXX")
SETTINGS_JAR=$(ls "$BENCH_DIR"/../dist/target/classtop/plugins/settings-*.jar | head -n 1)
for jar in "$BENCH_DIR"/../dist/target/classtop/plugins/*.jar; do
  case "$(basename "$jar")" in settings-*) ;; *) cp "$jar" "$SERVER_PLUGINS/" ;; esac
done
SERVER_ARGS=(--plugins "$SERVER_PLUGINS")
# shellcheck source=server.sh
source "$BENCH_DIR/server.sh"

AGENT_PIDS=()
stop_agents() {
  for pid in "${AGENT_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${AGENT_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$SERVER_PLUGINS"
  cleanup
}
trap stop_agents EXIT

now_ms() { date +%s%3N; }
auth=(-H "Authorization: Bearer $TOKEN")
uuid_of() { printf '00000000-0000-4000-8000-%012d' "$1"; }
capable() { curl -fsS "${auth[@]}" "$URL/api/clients/$(uuid_of "$1")" 2>/dev/null | grep -q '"get_setting"'; }
# Waits until every agent's capabilities contain (want=yes) or lack (want=no) get_setting; prints the ms taken.
wait_all() {
  local want=$1 t0=$2 deadline=$(( $(now_ms) + 60000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    local done_count=0
    for i in $(seq 1 "$AGENTS"); do
      if capable "$i"; then [ "$want" = yes ] && done_count=$((done_count + 1)); else [ "$want" = no ] && done_count=$((done_count + 1)); fi
    done
    if [ "$done_count" -eq "$AGENTS" ]; then echo $(( $(now_ms) - t0 )); return 0; fi
    sleep 0.05
  done
  echo "timeout"; return 1
}

for i in $(seq 1 "$AGENTS"); do
  mkdir -p "$WORK/agent-$i/plugins"
  cp "$SERVER_PLUGINS"/*.jar "$WORK/agent-$i/plugins/"
  CLASSTOP_JAVA_OPTS="-Dclasstop.log.dir=$WORK/agent-$i/logs" "${LOAD_PIN[@]}" "$DIST/bin/classtop-agent" \
    --server "$URL" --uuid "$(uuid_of "$i")" --name "PC $i" --data "$WORK/agent-$i/data" \
    --plugins "$WORK/agent-$i/plugins" >"$WORK/agent-$i.out" 2>&1 </dev/null &
  AGENT_PIDS+=($!)
done
for _ in $(seq 1 600); do
  online=$(curl -fsS "${auth[@]}" "$URL/api/clients" | { grep -o '"status":"online"' || true; } | wc -l)
  [ "$online" -ge "$AGENTS" ] && break
  sleep 0.1
done
echo "agents online: $online of $AGENTS (each with the bundled plugins but settings)"
if capable 1; then echo "bench: agent 1 already runs settings before the upload" >&2; exit 1; fi

t0=$(now_ms)
code=$(curl -sS -o "$WORK/upload.json" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/java-archive' \
  --data-binary @"$SETTINGS_JAR" "$URL/api/plugins")
echo "upload $(basename "$SETTINGS_JAR") ($(( $(stat -c %s "$SETTINGS_JAR") / 1024 )) KiB): HTTP $code in $(( $(now_ms) - t0 )) ms"
echo "  every agent runs get_setting: $(wait_all yes "$t0") ms after the upload started"

t0=$(now_ms)
curl -fsS -o /dev/null "${auth[@]}" -X POST "$URL/api/plugins/settings/disable"
echo "disable: HTTP answer in $(( $(now_ms) - t0 )) ms; every agent dropped get_setting after $(wait_all no "$t0") ms"

t0=$(now_ms)
curl -fsS -o /dev/null "${auth[@]}" -X POST "$URL/api/plugins/settings/enable"
echo "enable: HTTP answer in $(( $(now_ms) - t0 )) ms; every agent runs get_setting again after $(wait_all yes "$t0") ms"
