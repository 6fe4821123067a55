#!/bin/sh
# Installs dist/target/classtop-lms_*.deb and classtop-agent_*.deb on this Debian machine, checks what they
# set up, runs the installed server and agent once as their systemd units would (user classtop, same flags and
# JAVA_OPTS; not under systemd's sandbox, which needs a booted systemd: the hardening options are checked by name),
# reinstalls to show that a changed config survives an upgrade, then purges both and removes what the test
# left (data folder, user). Needs root and apt-get; run by .ci/run after the tests:
#   sh dist/src/deb/check-packages.sh
set -eu
cd "$(dirname "$0")/../../target"
LMS_DEB=$(ls classtop-lms_*_amd64.deb | head -n 1)
AGENT_DEB=$(ls classtop-agent_*_amd64.deb | head -n 1)
PORT=${CLASSTOP_CHECK_PORT:-18765}
export DEBIAN_FRONTEND=noninteractive
APT="apt-get -qq -o=Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold"
fail() { echo "check-packages: FAILED: $*" >&2; exit 1; }
SERVER_PID=""; AGENT_PID=""
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT

echo "== install $LMS_DEB $AGENT_DEB"
# apt-get (not bare dpkg -i) so that a missing Java runtime is installed from the Depends line.
$APT install -y "./$LMS_DEB" "./$AGENT_DEB" >/dev/null
dpkg -s classtop-lms classtop-agent | grep -q "Status: install ok installed" || fail "not installed"

echo "== what the packages set up"
uid=$(id -u classtop) || fail "no user classtop"
[ "$uid" -lt 1000 ] || fail "classtop is not a system user (uid $uid)"
[ "$(getent passwd classtop | cut -d: -f7)" = /usr/sbin/nologin ] || fail "classtop can log in"
for d in /var/lib/classtop/lms /var/lib/classtop/agent /var/log/classtop; do
  [ "$(stat -c %U "$d")" = classtop ] || fail "$d is not owned by classtop"
done
[ "$(stat -c %a:%G /etc/classtop/classtop.properties)" = 640:classtop ] || fail "classtop.properties is not 0640 root:classtop"
[ -s /opt/classtop-lms/lib/classtop-lms.jsa ] || fail "postinst made no class-data archive /opt/classtop-lms/lib/classtop-lms.jsa"
[ -L /opt/classtop-lms/conf/classtop.properties ] || fail "/opt/classtop-lms/conf does not link to /etc/classtop"
dpkg-query -W -f='${Conffiles}\n' classtop-lms | grep -q /etc/classtop/classtop.properties || fail "classtop.properties is not a conffile"
dpkg-query -W -f='${Conffiles}\n' classtop-agent | grep -q /etc/classtop/agent.properties || fail "agent.properties is not a conffile"
for unit in classtop-lms classtop-agent; do
  f=/lib/systemd/system/$unit.service
  for option in Restart=on-failure NoNewPrivileges=true ProtectSystem=strict ProtectHome=true User=classtop; do
    grep -q "^$option" "$f" || fail "$f lacks $option"
  done
  if command -v systemd-analyze >/dev/null 2>&1; then
    systemd-analyze verify "$f" 2>&1 | grep -v "^$" | grep -iv "not booted\|Failed to connect\|offline" || true
  fi
done

echo "== run the installed server and agent as their units do"
unit_exec() { sed -n 's/^ExecStart=//p' "/lib/systemd/system/$1.service"; }
unit_java_opts() { sed -n 's/^Environment="JAVA_OPTS=\(.*\)"$/\1/p' "/lib/systemd/system/$1.service"; }
SERVER_CMD=$(unit_exec classtop-lms)
AGENT_CMD=$(unit_exec classtop-agent)
SERVER_OPTS=$(unit_java_opts classtop-lms)
AGENT_OPTS=$(unit_java_opts classtop-agent)
[ -n "$SERVER_OPTS" ] && [ -n "$AGENT_OPTS" ] || fail "no JAVA_OPTS in the units"
[ "$(stat -c %a /etc/default/classtop-lms)" = 600 ] || fail "/etc/default/classtop-lms (may hold a token) is not 0600"
LOG=$(mktemp -d)
: >"$LOG/lms.out"; : >"$LOG/agent.out"
chmod 0755 "$LOG"
# shellcheck disable=SC2086
runuser -u classtop -- env "JAVA_OPTS=$SERVER_OPTS" CLASSTOP_ENROLLMENT=open \
    $SERVER_CMD --port "$PORT" --bind 127.0.0.1 >"$LOG/lms.out" 2>"$LOG/lms.err" &
SERVER_PID=$!
for _ in $(seq 1 90); do
  grep -q "classtop-lms listening on http://127.0.0.1:$PORT" "$LOG/lms.out" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG/lms.err" >&2; fail "the installed server exited"; }
  sleep 1
done
grep -q "listening" "$LOG/lms.out" || { cat "$LOG/lms.err" >&2; fail "the installed server did not start in 90 s"; }
# The first start's admin password is printed once stored, a moment after the listening line.
for _ in $(seq 1 30); do
  grep -qi "password" "$LOG/lms.out" "$LOG/lms.err" && break
  sleep 1
done
grep -qi "password" "$LOG/lms.out" "$LOG/lms.err" || fail "no generated admin password was printed"
curl -fsS "http://127.0.0.1:$PORT/healthz" | grep -q '"ok"' || fail "GET /healthz"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/clients/")
[ "$status" = 401 ] || fail "GET /api/clients/ without a login answered $status, not 401"
[ -f /var/lib/classtop/lms/classtop.db ] || fail "no database in /var/lib/classtop/lms"
# shellcheck disable=SC2086
runuser -u classtop -- env "JAVA_OPTS=$AGENT_OPTS" \
    $AGENT_CMD --server "http://127.0.0.1:$PORT" --name "Package check" >"$LOG/agent.out" 2>"$LOG/agent.err" &
AGENT_PID=$!
for _ in $(seq 1 60); do
  grep -q "classtop-agent connected to" "$LOG/agent.out" && break
  sleep 1
done
grep -q "classtop-agent connected to" "$LOG/agent.out" || { cat "$LOG/agent.err" >&2; fail "the installed agent did not connect"; }
[ -n "$(ls /var/log/classtop/)" ] || fail "nothing logged in /var/log/classtop"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true; AGENT_PID=""
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""

echo "== upgrade keeps a changed config"
echo "# changed by the package check" >> /etc/classtop/classtop.properties
$APT install -y --reinstall "./$LMS_DEB" >/dev/null
grep -q "changed by the package check" /etc/classtop/classtop.properties || fail "the upgrade overwrote the changed config"

echo "== purge"
$APT purge -y classtop-lms classtop-agent >/dev/null
[ ! -e /opt/classtop-lms ] || fail "/opt/classtop-lms is left after purge"
[ ! -e /etc/classtop/classtop.properties ] || fail "/etc/classtop/classtop.properties is left after purge"
[ -f /var/lib/classtop/lms/classtop.db ] || fail "purge deleted the school's data"
# Leave this machine as it was: the test's data and the system user.
rm -rf /var/lib/classtop "$LOG"
userdel classtop 2>/dev/null || true
groupdel classtop 2>/dev/null || true
echo "check-packages: OK"
