#!/bin/sh
# Build step of the distribution (dist/pom.xml, prepare-package): one real start of the server with every bundled plugin
# on an empty data folder records the classes it loads (lib/classtop-lms.classlist, shipped in every archive and
# package); then `bin/classtop-lms --make-cds-archive` dumps them into lib/classtop-lms.jsa for this Java and this
# folder (target/classtop/; the .deb remakes it at installation, a moved copy with --make-cds-archive).
#   make-cds-archive.sh DIST_DIR
set -eu
dist=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f "$dist/lib/classtop-lms.classlist" "$dist/lib/classtop-lms.jsa"

token=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
CLASSTOP_ADMIN_TOKEN=$token CLASSTOP_JAVA_OPTS="-XX:DumpLoadedClassList=$dist/lib/classtop-lms.classlist -Dclasstop.log.dir=$work/logs" \
  "$dist/bin/classtop-lms" --bind 127.0.0.1 --port 0 --data "$work/data" \
  >"$work/out" 2>"$work/err" &
server=$!
waited=0
until grep -q 'listening on' "$work/out"; do
  if ! kill -0 "$server" 2>/dev/null || [ "$waited" -ge 1200 ]; then
    echo "make-cds-archive: the server did not start:" >&2
    cat "$work/err" >&2
    kill "$server" 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
  waited=$((waited + 1))
done
# The first requests' classes too (HTTP parsing, authentication, JSON answers, metrics), when curl is here: the
# first minute after a start then runs on archived classes as well.
if command -v curl >/dev/null 2>&1; then
  url=$(sed -n 's/^classtop-lms listening on //p' "$work/out" | head -n 1)
  curl -fsS -o /dev/null "$url/healthz" || true
  for path in /api/clients /api/plugins /api/commands /metrics; do
    curl -sS -o /dev/null -H "Authorization: Bearer $token" "$url$path" || true
  done
  sleep 1
fi
# A stop too: the shutdown path's classes are in the list as well.
kill -TERM "$server"
wait "$server" || true

"$dist/bin/classtop-lms" --make-cds-archive
test -s "$dist/lib/classtop-lms.jsa"
