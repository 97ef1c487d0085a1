#!/usr/bin/env bash
# Cost of the nodes' stats collector (docs/benchmarks.md, "Live stats collector").
#
# Usage: bench/stats.sh IMAGE_DIR [REPLICAS] [SECONDS]
#   IMAGE_DIR  the built image, e.g. distribution/target/orchestrator
#   REPLICAS   idle busybox replicas to sample (default 40)
#   SECONDS    length of each measured window (default 60)
#
# Starts a server (its own node samples every running replica every 5 s through Docker's
# stats API), deploys REPLICAS idle replicas and waits until they all have stats, then measures
# the CPU time of dockerd and of the server over SECONDS. Baseline, in the same run: the server
# is stopped (its containers keep running) and dockerd is measured again over SECONDS with the
# same containers and no collector. Prints CPU % of one core for each and the ratio.
# Needs: Docker, curl, python3, the image orchestrator-test/busybox:1; reads /proc of dockerd.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
image=${1:?usage: bench/stats.sh IMAGE_DIR [REPLICAS] [SECONDS]}
replicas=${2:-40}
window=${3:-60}
port=${BENCH_PORT:-18741}
work=$(mktemp -d /tmp/bench-stats.XXXXXX)
name=bench-stats-$$
url=http://127.0.0.1:$port
hz=$(getconf CLK_TCK)
dockerd=$(pidof dockerd)
server=

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

cleanup() {
  local rc=$?
  stop_server "$server"
  # Our containers only: by the service label, on this run's cluster.
  ids=$(docker ps -aq --filter "label=dev.orchestrator.service=$name")
  [[ -n $ids ]] && docker rm -f $ids >/dev/null
  show_log_tail "$rc" "$work/server.log" 30
  rm -rf "$work"
}
trap cleanup EXIT

start() {
  ORCHESTRATOR_ADMIN_PASSWORD=pw "$image/bin/orchestrator" server --port "$port" --bind 127.0.0.1 \
    --data-dir "$work/data" --node-name "$name" >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -sf "$url/health" >/dev/null && return 0; sleep 0.1; done
  echo "server did not start" >&2; exit 1
}

measured() { # how many replicas of the service have a memory figure
  curl -sf -u admin:pw "$url/api/services/$name" | python3 -c \
    'import json,sys; print(sum(1 for c in json.load(sys.stdin)["containers"] if "cpu_percent" in c))'
}

start
curl -sf -u admin:pw -X POST "$url/api/deploy" -H 'content-type: application/json' -d "{\"name\": \"$name\",
  \"image\": \"orchestrator-test/busybox:1\", \"replicas\": $replicas, \"command\": [\"sleep\", \"86400\"],
  \"resources\": {\"memory_mb\": 16}}" >/dev/null
for _ in $(seq 1 240); do [[ $(measured) == "$replicas" ]] && break; sleep 1; done
[[ $(measured) == "$replicas" ]] || { echo "not every replica has stats" >&2; exit 1; }

d0=$(ticks "$dockerd"); s0=$(ticks "$server")
sleep "$window"
d1=$(ticks "$dockerd"); s1=$(ticks "$server")
stop_server "$server"; server=
b0=$(ticks "$dockerd")
sleep "$window"
b1=$(ticks "$dockerd")

python3 - "$hz" "$window" "$replicas" "$d0" "$d1" "$s0" "$s1" "$b0" "$b1" <<'PY'
import sys
hz, window, n, d0, d1, s0, s1, b0, b1 = map(float, sys.argv[1:])
pct = lambda a, b: (b - a) / hz / window * 100
dockerd, server, base = pct(d0, d1), pct(s0, s1), pct(b0, b1)
print(f"replicas {int(n)}, window {int(window)} s, interval 5 s")
print(f"dockerd with collector   {dockerd:6.2f} % of a core")
print(f"dockerd baseline         {base:6.2f} % of a core")
print(f"dockerd added            {dockerd - base:6.2f} % ({(dockerd - base) / n:.3f} % per replica)")
print(f"server (all its work)    {server:6.2f} % of a core")
print(f"ratio dockerd with/without {dockerd / base if base > 0 else float('inf'):.2f}")
PY
