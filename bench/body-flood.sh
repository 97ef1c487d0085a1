#!/usr/bin/env bash
# Memory cost of oversized request bodies: starts `bin/orchestrator server` without a local
# node on 127.0.0.1 and posts 300 MB bodies, with and without Content-Length (chunked), to
# /agent/v1/heartbeat without a token and to /api/deploy with the admin's credentials. Prints
# each answer's status and time, and the server's peak RSS (VmHWM) after each. The heartbeats
# go to the cluster listener (TLS, trusting the server's cluster CA), where nodes send theirs.
#   bench/body-flood.sh [IMAGE_DIR] [MB]
set -euo pipefail
image=${1:-distribution/target/orchestrator}
mb=${2:-300}
port=${PORT:-18182}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; rm -rf "$work"' EXIT
truncate -s "${mb}M" "$work/body"
ORCHESTRATOR_ADMIN_PASSWORD=bench-password "$image/bin/orchestrator" server --bind 127.0.0.1 --port "$port" \
    --data-dir "$work/data" --plugins-dir "$work/plugins" --no-local-node >"$work/log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.05
done
cluster=$(curl -fs "http://127.0.0.1:$port/agent/v1/cluster" | sed 's/.*"cluster_port":\([0-9]*\).*/\1/')
curl -s -o /dev/null -u admin:bench-password "http://127.0.0.1:$port/api/services"
hwm() { awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$pid/status"; }
echo "started: peak RSS $(hwm)"
post() { # name, path, extra curl args...
  local name=$1 path=$2; shift 2
  local out base="http://127.0.0.1:$port"
  case $path in /agent/*) base="https://127.0.0.1:$cluster"; set -- --cacert "$work/data/cluster-ca/ca.crt" "$@";; esac
  out=$(curl -s -o "$work/answer" -w '%{http_code} %{time_total}s' --max-time 60 -X POST -H 'Expect:' \
      -H 'Content-Type: application/json' "$@" "$base$path" || true)
  printf '%-44s -> %s %s; peak RSS %s\n' "$name" "$out" "$(head -c 90 "$work/answer")" "$(hwm)"
}
post "heartbeat, no token, ${mb} MB, Content-Length" /agent/v1/heartbeat -T "$work/body"
post "heartbeat, no token, ${mb} MB, chunked" /agent/v1/heartbeat -T - -H 'Transfer-Encoding: chunked' <"$work/body"
post "deploy, admin, ${mb} MB, Content-Length" /api/deploy -u admin:bench-password -T "$work/body"
post "deploy, admin, ${mb} MB, chunked" /api/deploy -u admin:bench-password -T - \
    -H 'Transfer-Encoding: chunked' <"$work/body"
code=$(curl -s -o /dev/null -w '%{http_code}' -u admin:bench-password "http://127.0.0.1:$port/api/services")
echo "afterwards GET /api/services -> $code"
