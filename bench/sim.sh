#!/usr/bin/env bash
# Scale by simulation: the real server (from the built image, its own process, --no-local-node)
# against N simulated nodes in one harness JVM: the real Node code on FakeRuntimes, reporting and
# watching as agents do: over TLS on the cluster listener, verified by the join token's CA pin,
# with each node's own credential (--plain: the server runs with --cluster-port off, so nodes
# use plain HTTP on the API's port, for comparison). No Docker.
#
#   bench/sim.sh [--nodes 100] [--services 1000] [--replicas 5] [--clients 8] [--steady 60]
#                [--kill 10] [--results FILE] [--build] [--plain]
#
# Phases (each bounded; the whole run stops within about 6 minutes): nodes join; SERVICES
# services of REPLICAS replicas are deployed by CLIENTS parallel REST clients (time to all
# placed, all running, per GET /api/services); STEADY seconds of steady state (server CPU from
# /proc/PID/stat as % of one core, RSS, bytes/s between the server and the nodes); KILL nodes
# closed abruptly (time to all down and all replicas running elsewhere; the server runs with its
# default --node-timeout of 5 s). Results go to stdout and to FILE (default
# bench/sim/target/sim-results.txt). Builds the image and the harness first if either is missing
# (or with --build). Quick check: bench/sim.sh --nodes 10 --services 100 --steady 20
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bin=$root/distribution/target/orchestrator/bin/orchestrator
jar=$root/bench/sim/target/orchestrator-bench-sim-0.1.0-SNAPSHOT.jar
readonly PASSWORD=sim-secret

die() { printf 'sim.sh: %s\n' "$*" >&2; exit 1; }

build=false
cluster_port=()
results=$root/bench/sim/target/sim-results.txt
harness_args=()
while (( $# )); do
  case $1 in
    --build) build=true; shift ;;
    --plain) cluster_port=(--cluster-port off); shift ;;
    --results) results=$2; shift 2 ;;
    --nodes|--services|--replicas|--clients|--steady|--kill) harness_args+=("$1" "$2"); shift 2 ;;
    *) die "unknown option $1 (see the header of bench/sim.sh)" ;;
  esac
done
for tool in curl python3; do command -v "$tool" >/dev/null || die "$tool not found"; done
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

if $build || [[ ! -x $bin || ! -f $jar || ! -f $root/bench/sim/target/classpath.txt ]]; then
  # Test sources are not compiled (-Dmaven.test.skip): a benchmark needs only the main code.
  (cd "$root" && mvn -B -o -q -Dmaven.test.skip=true package)
fi

work=$(mktemp -d)
server_pid=
cleanup() {
  local rc=$?
  stop_server "$server_pid"
  show_log_tail "$rc" "$work/server.log" 30
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM  # so that cleanup runs when interrupted

ORCHESTRATOR_ADMIN_PASSWORD=$PASSWORD "$bin" server --no-local-node --port 0 --bind 127.0.0.1 \
  --data-dir "$work/server" "${cluster_port[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
api=
for _ in $(seq 1 300); do
  api=$(grep -oE 'listening on http://[^ ]+:[0-9]+' "$work/server.log" | head -1 | sed 's/^listening on //' || true)
  [[ -n $api ]] && break
  kill -0 "$server_pid" 2>/dev/null || die "the server exited"
  sleep 0.05
done
[[ -n $api ]] || die "the server did not start"
echo "server pid $server_pid at $api"

mkdir -p "$(dirname "$results")"
# The harness is bounded by its own deadline; timeout is the backstop.
timeout --signal=KILL 420 "$java" -Xmx3g -XX:+UseParallelGC -cp "$jar:$(cat "$root/bench/sim/target/classpath.txt")" \
  dev.orchestrator.bench.sim.Simulation --server "$api" --server-pid "$server_pid" --password "$PASSWORD" \
  --data-dir "$work/nodes" --results "$results" "${harness_args[@]}"
echo "results written to $results"
