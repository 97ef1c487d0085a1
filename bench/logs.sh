#!/usr/bin/env bash
# Container logs (docs/benchmarks.md, "Container logs"):
#   latency: a line printed in a container -> the line at a client following the service's logs,
#            on the server's own node and through an agent, beside `docker logs -f` on the same
#            container at the same time (the peer);
#   cpu:     the server's CPU (and dockerd's, the peer doing the same lines' json-file logging)
#            while REPLICAS replicas each print RATE lines/s, without and with one follower.
#
# Usage: bench/logs.sh IMAGE_DIR latency [SECONDS]
#        bench/logs.sh IMAGE_DIR cpu [REPLICAS] [RATE] [SECONDS]
# Needs Docker, orchestrator-test/busybox:1 (scripts/test-images.sh) and a JDK 21+ ($JAVA_HOME or $JAVA)
# to run bench/logs/LogLatency.java.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
image=$(cd "${1:?usage: bench/logs.sh IMAGE_DIR latency|cpu ...}" && pwd)
mode=${2:?latency or cpu}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
IMAGE=orchestrator-test/busybox:1
work=$(mktemp -d)
pids=()
password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
( umask 077; printf 'user = "admin:%s"\n' "$password" >"$work/curlrc" )
nets_before=$(docker network ls -q --filter label=dev.orchestrator.network | sort)
cleanup() {
  for p in "${pids[@]}"; do stop_server "$p"; done
  docker ps -aq --filter "label=dev.orchestrator.service" --filter "label=dev.orchestrator.node=bench-logs-node" \
      | xargs -r docker rm -f >/dev/null 2>&1 || true
  # The managed networks this run made: a later server of another cluster cannot reuse the name.
  comm -13 <(echo "$nets_before") <(docker network ls -q --filter label=dev.orchestrator.network | sort) \
      | xargs -r docker network rm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
die() { echo "logs.sh: $*" >&2; exit 1; }

# start_server EXTRA_ARGS...: sets $api
start_server() {
  ORCHESTRATOR_ADMIN_PASSWORD=$password "$image/bin/orchestrator" server --bind 127.0.0.1 --port 0 \
      --data-dir "$work/data" --plugins-dir "$work/plugins" --node-name bench-logs-node \
      --cpu-overcommit 64 "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  pids+=($server_pid)
  local port=
  for _ in $(seq 1 600); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/server.log" | head -n 1)
    [[ -n $port ]] && break
    sleep 0.05
  done
  [[ -n $port ]] || die "server did not start: $(tail -5 "$work/server.log")"
  api="http://127.0.0.1:$port"
}

start_agent() {
  local token
  token=$(curl -s -K "$work/curlrc" -X POST "$api/api/tokens" | sed -n 's|.*"token":"\([^"]*\)".*|\1|p')
  [[ -n $token ]] || die "no join token"
  "$image/bin/orchestrator" agent --server "$api" --token "$token" --name bench-logs-node --advertise-address 127.0.0.1 \
      --port 0 --data-dir "$work/agent" --plugins-dir "$work/plugins" --cpus 64 >"$work/agent.log" 2>&1 &
  agent_pid=$!
  pids+=($agent_pid)
  for _ in $(seq 1 600); do
    curl -s -K "$work/curlrc" "$api/api/nodes" | grep -q '"status":"ready"' && return 0
    sleep 0.05
  done
  die "agent not ready: $(tail -5 "$work/agent.log")"
}

# deploy NAME REPLICAS COMMAND_JSON
deploy() {
  local code
  code=$(curl -s -o "$work/out" -w '%{http_code}' -K "$work/curlrc" -H 'Content-Type: application/json' \
      -d "{\"name\":\"$1\",\"image\":\"$IMAGE\",\"replicas\":$2,\"command\":$3,\"resources\":{\"cpu_shares\":16,\"memory_mb\":16}}" \
      "$api/api/deploy")
  [[ $code == 201 || $code == 200 ]] || die "deploy $1: $code $(cat "$work/out")"
  for _ in $(seq 1 1200); do
    curl -s -K "$work/curlrc" "$api/api/services/$1" | grep -q "\"running\":$2," && return 0
    sleep 0.1
  done
  die "$1: $2 replicas not running"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

latency() {
  local seconds=${1:-30} cmd='["sh","-c","while true; do echo tick; usleep 100000; done"]' id where
  for where in local agent; do
    if [[ $where == local ]]; then start_server; else start_server --no-local-node; start_agent; fi
    deploy lat 1 "$cmd"
    id=$(docker ps -q --filter label=dev.orchestrator.service=lat --filter label=dev.orchestrator.node=bench-logs-node | head -1)
    echo "== $where node: 10 lines/s for ${seconds}s"
    "$java" "$here/logs/LogLatency.java" "$api" "$password" lat "$id" "$seconds"
    curl -s -K "$work/curlrc" -X DELETE "$api/api/services/lat" >/dev/null
    for _ in $(seq 1 300); do [[ -z $(docker ps -aq --filter label=dev.orchestrator.service=lat) ]] && break; sleep 0.1; done
    for p in "${pids[@]}"; do stop_server "$p"; done
    pids=()
    rm -rf "$work/data" "$work/agent"
  done
}

cpu() {
  local replicas=${1:-100} rate=${2:-100} seconds=${3:-60} hz s0 d0 s1 d1 follower
  hz=$(getconf CLK_TCK)
  # RATE lines per second in bursts of RATE/10 every 100 ms: one sleep (a fork) per burst.
  local burst=$(( rate / 10 )) echoes=""
  for _ in $(seq 1 "$burst"); do echoes+="echo line \$i of a replica printing $rate lines per second; "; done
  local cmd="[\"sh\",\"-c\",\"i=0; while true; do i=\$((i+1)); $echoes usleep 100000; done\"]"
  start_server
  deploy noisy "$replicas" "$cmd"
  sleep 5
  local dockerd
  dockerd=$(pidof dockerd | awk '{print $1}')
  : >"$work/followed"
  for phase in "no follower" "one follower"; do
    if [[ $phase == "one follower" ]]; then
      curl -s -N -K "$work/curlrc" "$api/api/services/noisy/logs?follow=true&tail=1" >"$work/followed" &
      follower=$!
      sleep 2
    fi
    s0=$(cpu_ticks "$server_pid"); d0=$(cpu_ticks "$dockerd")
    local l0 n0
    l0=$(grep -ac '^event: *line' "$work/followed" 2>/dev/null || true); n0=$(grep -ac '^event: *notice' "$work/followed" 2>/dev/null || true)
    sleep "$seconds"
    s1=$(cpu_ticks "$server_pid"); d1=$(cpu_ticks "$dockerd")
    awk -v s=$((s1 - s0)) -v d=$((d1 - d0)) -v hz="$hz" -v t="$seconds" -v p="$phase" -v n="$replicas" -v r="$rate" \
        'BEGIN { printf "%s: %d replicas x %d lines/s: server %.1f%% of a core, dockerd %.1f%%, server/dockerd %.2f\n",
                 p, n, r, 100*s/hz/t, 100*d/hz/t, (d ? s/d : 0) }'
    if [[ $phase == "one follower" ]]; then
      local l1 n1
      l1=$(grep -ac '^event: *line' "$work/followed" || true); n1=$(grep -ac '^event: *notice' "$work/followed" || true)
      echo "  the follower received $(( l1 - l0 )) lines in ${seconds}s ($(( (l1 - l0) / seconds ))/s) and $(( n1 - n0 )) notices"
      echo "  lines dropped for the client, as its notices say: $(grep -a -A1 '^event: *notice' "$work/followed" \
          | sed -n 's/.*"message":"\([0-9]*\) lines dropped.*/\1/p' | awk '{s += $1} END {print s + 0}')"
      kill "$follower" 2>/dev/null || true
    fi
  done
  echo "kept on disk: $(du -sh "$work/data/node/logs" | cut -f1)"
  curl -s -K "$work/curlrc" -X DELETE "$api/api/services/noisy" >/dev/null
  for _ in $(seq 1 600); do [[ -z $(docker ps -aq --filter label=dev.orchestrator.service=noisy) ]] && break; sleep 0.2; done
}

case $mode in
  latency) latency "${3:-30}" ;;
  cpu) cpu "${3:-100}" "${4:-100}" "${5:-60}" ;;
  *) die "mode must be latency or cpu" ;;
esac
