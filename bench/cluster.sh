#!/usr/bin/env bash
# Several-node benchmarks on one machine: one server (--no-local-node) and agents that share the
# local Docker engine, each on its own loopback address (127.0.0.<base+i>) with declared capacity.
#
#   bench/cluster.sh scale    [IMAGE_DIR] [NODES] [SERVICES] [REPLICAS]   (defaults 10 10 10)
#       NODES agents (2 CPUs, 2 GiB each); SERVICES services of REPLICAS replicas of
#       orchestrator-test/web:1 with an HTTP health check every 2 s, deployed back to back.
#       Reports: time from the first deploy to all replicas running and healthy, the spread per
#       node, and the server's CPU time and RSS (and the agents' RSS) at that point and after 60 s
#       of steady state.
#
#   bench/cluster.sh failover [IMAGE_DIR] [RUNS]                          (default 5)
#       3 agents, node timeout 5 s; a 6-replica web service (HTTP check every 1 s). Each run
#       SIGKILLs one agent and `docker kill`s its containers (t0), then polls the API every 100 ms:
#       t_down = the node is "down", t_all = 6 replicas running and healthy on the other nodes.
#       Then the agent is restarted with its data dir, and the run waits until it is ready and
#       exactly 6 containers of the service exist (no duplicates). Prints each run and medians.
#
# Only containers of this run's cluster are touched (the cluster id label of its server).
# Needs bash, curl, docker, python3, GNU date.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:-}
image_dir=${2:-$here/../distribution/target/orchestrator}
bin=$image_dir/bin/orchestrator
readonly PASSWORD=bench-secret
readonly IMAGE=orchestrator-test/web:1

die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }
now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }

[[ $mode == scale || $mode == failover ]] || die "usage: bench/cluster.sh scale|failover [IMAGE_DIR] ..."
[[ -x $bin ]] || die "no $bin: build it (mvn -B -DskipTests package)"
for tool in curl docker python3 date; do command -v "$tool" >/dev/null || die "$tool not found"; done
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE missing: run scripts/test-images.sh"

work=$(mktemp -d)
server_pid=
api=
declare -A agent_pid=()
cluster=

cleanup() {
  local rc=$?
  for n in "${!agent_pid[@]}"; do stop_server "${agent_pid[$n]}"; done
  stop_server "$server_pid"
  if [[ -n $cluster ]]; then
    docker ps -aq --filter "label=dev.orchestrator.cluster=$cluster" | xargs -r -n 10 docker rm -f >/dev/null
  fi
  show_log_tail "$rc" "$work/server.log" 30
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM  # so that cleanup runs when interrupted

curl_api() { curl -sS --fail-with-body -u "admin:$PASSWORD" "$@"; }

start_server() {
  ORCHESTRATOR_ADMIN_PASSWORD=$PASSWORD "$bin" server --port 0 --bind 127.0.0.1 --data-dir "$work/server" \
    --no-local-node --node-timeout "$1" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 200); do
    local port
    port=$(grep -oE 'listening on http://[^:]+:[0-9]+' "$work/server.log" | grep -oE '[0-9]+$' || true)
    if [[ -n $port ]]; then api=http://127.0.0.1:$port; break; fi
    sleep 0.05
  done
  [[ -n $api ]] || die "the server did not start"
  token=$(curl_api -X POST "$api/api/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
}

# start_agent NAME ADDRESS
start_agent() {
  "$bin" agent --server "$api" --token "$token" --name "$1" --advertise-address "$2" --ingress-address "$2" \
    --port 7947 --data-dir "$work/$1" --cpus 2 --memory 2g >"$work/$1.log" 2>&1 &
  agent_pid[$1]=$!
}

# Python one-liners over the API's JSON.
nodes_ready() { curl_api "$api/api/nodes" | python3 -c 'import json,sys; print(sum(n["status"]=="ready" for n in json.load(sys.stdin)))'; }
node_status() { curl_api "$api/api/nodes" | python3 -c "import json,sys; print([n['status'] for n in json.load(sys.stdin) if n['id']=='$1'][0])"; }
# healthy_count SERVICE [EXCLUDED_NODE]: replicas running and healthy (not on EXCLUDED_NODE)
healthy_count() {
  curl_api "$api/api/services/$1" | python3 -c "
import json,sys
d=json.load(sys.stdin)
print(sum(1 for c in d['containers'] if c['status']=='running' and c['health']=='healthy' and c['node_id']!='${2:-}'))"
}
all_healthy() {
  curl_api "$api/api/services" | python3 -c 'import json,sys; print(sum(s["healthy"] for s in json.load(sys.stdin)))'
}
cpu_ms() { awk '{print ($14+$15)*10}' "/proc/$1/stat"; }       # utime+stime, 100 Hz ticks
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

until_equal() { # until_equal SECONDS VALUE CMD...: until CMD prints VALUE
  local deadline=$(( $(date +%s) + $1 )) want=$2; shift 2
  while (( $(date +%s) < deadline )); do [[ $("$@") == "$want" ]] && return 0; sleep 0.1; done
  return 1
}

deploy_web() { # deploy_web NAME REPLICAS INTERVAL
  curl_api -X POST "$api/api/deploy" -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"image\":\"$IMAGE\",
    \"replicas\":$2,\"ports\":[{\"container_port\":8080}],\"resources\":{\"memory_mb\":32},
    \"health_check\":{\"type\":\"http\",\"endpoint\":\"http://localhost:8080/health\",\"interval\":\"$3\",
    \"timeout\":\"1s\",\"retries\":3}}" >/dev/null
}

scale() {
  local nodes=${1:-10} services=${2:-10} replicas=${3:-10}
  local total=$(( services * replicas ))
  baseline "$total"  # first, on a quiet engine
  start_server 5s
  for i in $(seq 1 "$nodes"); do start_agent "node-$i" "127.0.0.$((20 + i))"; done
  until_equal 120 "$nodes" nodes_ready || die "only $(nodes_ready)/$nodes nodes ready"
  local cpu0; cpu0=$(cpu_ms "$server_pid")
  local t0; t0=$(now_ns)
  for s in $(seq 1 "$services"); do deploy_web "svc-$s" "$replicas" 2s; done
  local t_sent; t_sent=$(ms_since "$t0")
  local t_all= t_running=
  for _ in $(seq 1 3000); do
    local h; h=$(curl_api "$api/api/services" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(s["running"] for s in d), sum(s["healthy"] for s in d))') || h="0 0"
    [[ -z $t_running && ${h% *} == "$total" ]] && t_running=$(ms_since "$t0")
    if [[ ${h#* } == "$total" ]]; then t_all=$(ms_since "$t0"); break; fi
    sleep 0.1
  done
  [[ -n $t_all ]] || die "not all $total replicas healthy after 300 s ($(all_healthy))"
  cluster=$(docker inspect -f '{{index .Config.Labels "dev.orchestrator.cluster"}}' \
    "$(docker ps -q --filter label=dev.orchestrator.service=svc-1 | head -1)")
  local cpu1; cpu1=$(cpu_ms "$server_pid")
  local rss1; rss1=$(rss_mib "$server_pid")
  echo "nodes=$nodes services=$services replicas=$total"
  echo "deploy requests sent in ${t_sent} ms; all $total running after ${t_running:-?} ms, running and healthy after ${t_all} ms"
  echo "per node: $(curl_api "$api/api/nodes" | python3 -c 'import json,sys; print(" ".join("%s=%s" % (n["id"], n["containers"]) for n in json.load(sys.stdin)))')"
  echo "docker: $(docker ps -q --filter "label=dev.orchestrator.cluster=$cluster" | wc -l) running containers of this cluster"
  # Where the time went: when the containers were created and started, from the first deploy.
  docker ps -q --filter "label=dev.orchestrator.cluster=$cluster" | xargs docker inspect -f '{{.Created}} {{.State.StartedAt}}' \
    | python3 -c "
import sys, datetime
t0 = $t0 / 1e9
def ts(x):
    x = x[:26].rstrip('Z')
    return datetime.datetime.fromisoformat(x).replace(tzinfo=datetime.timezone.utc).timestamp()
rows = [tuple(ts(p) - t0 for p in l.split()) for l in sys.stdin if l.strip()]
c = sorted(r[0] for r in rows); s = sorted(r[1] for r in rows)
print('containers created from %.1f s to %.1f s, started from %.1f s to %.1f s after the first deploy' % (c[0], c[-1], s[0], s[-1]))
"
  echo "server during the deploy: CPU $(( cpu1 - cpu0 )) ms, RSS ${rss1} MiB"
  local agents_rss=0
  for n in "${!agent_pid[@]}"; do agents_rss=$(( agents_rss + $(rss_mib "${agent_pid[$n]}") )); done
  echo "agents: RSS $(( agents_rss / nodes )) MiB each on average"
  sleep 60
  local cpu2; cpu2=$(cpu_ms "$server_pid")
  echo "server in steady state (60 s, $nodes heartbeats/s, $total replicas probed every 2 s on the agents):" \
    "CPU $(( (cpu2 - cpu1) / 60 )) ms/s ($(( (cpu2 - cpu1) / 600 ))% of one core), RSS $(rss_mib "$server_pid") MiB"
}

# The same number of containers with plain `docker run -d`, all at once: the floor the engine sets.
baseline() {
  local n=$1 label=bench.cluster.run=$$ t0 pids=()
  t0=$(now_ns)
  for _ in $(seq 1 "$n"); do docker run -d --label "$label" "$IMAGE" >/dev/null & pids+=($!); done
  wait "${pids[@]}"  # only these: the server and agents are background jobs too
  for _ in $(seq 1 3000); do
    [[ $(docker ps -q --filter "label=$label" --filter status=running | wc -l) == "$n" ]] && break
    sleep 0.1
  done
  echo "baseline: $n parallel 'docker run -d' running after $(ms_since "$t0") ms"
  # Ten at a time: Docker 20.10 was seen to hang on one `docker rm -f` of 100 running containers.
  docker ps -aq --filter "label=$label" | xargs -r -n 10 docker rm -f >/dev/null
}

failover() {
  local runs=${1:-5}
  start_server 5s
  for i in 1 2 3; do start_agent "node-$i" "127.0.0.$((40 + i))"; done
  until_equal 60 3 nodes_ready || die "agents did not join"
  deploy_web web 6 1s
  until_equal 60 6 healthy_count web || die "web did not get healthy"
  cluster=$(docker inspect -f '{{index .Config.Labels "dev.orchestrator.cluster"}}' \
    "$(docker ps -q --filter label=dev.orchestrator.service=web | head -1)")
  local downs=() alls=()
  for run in $(seq 1 "$runs"); do
    local victim=node-$(( (run - 1) % 3 + 1 ))
    local ids; ids=$(docker ps -q --filter "label=dev.orchestrator.node=$victim" --filter "label=dev.orchestrator.cluster=$cluster")
    local t0; t0=$(now_ns)
    kill -KILL "${agent_pid[$victim]}"; wait "${agent_pid[$victim]}" 2>/dev/null || true
    [[ -n $ids ]] && docker kill $ids >/dev/null
    local t_down= t_all=
    for _ in $(seq 1 600); do
      [[ -z $t_down && $(node_status "$victim") == down ]] && t_down=$(ms_since "$t0")
      if [[ $(healthy_count web "$victim") == 6 ]]; then t_all=$(ms_since "$t0"); break; fi
      sleep 0.1
    done
    [[ -n $t_all ]] || die "run $run: the replicas of $victim were not running elsewhere after 60 s"
    [[ -n $t_down ]] || t_down=$t_all
    echo "run $run: killed $victim ($(echo "$ids" | wc -w) replicas); down after ${t_down} ms; all 6 healthy elsewhere after ${t_all} ms"
    downs+=("$t_down"); alls+=("$t_all")
    start_agent "$victim" "127.0.0.$((40 + ${victim#node-}))"
    until_equal 60 ready node_status "$victim" || die "$victim did not come back"
    local n=
    for _ in $(seq 1 100); do
      n=$(docker ps -aq --filter label=dev.orchestrator.service=web --filter "label=dev.orchestrator.cluster=$cluster" | wc -l)
      [[ $n == 6 ]] && break; sleep 0.1
    done
    echo "        $victim back: $n containers of web in docker (6 wanted)"
    [[ $n == 6 ]] || die "duplicates after $victim returned"
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
  echo "median over $runs runs: node down after $(median "${downs[@]}") ms, replicas healthy elsewhere after $(median "${alls[@]}") ms"
}

shift 2 2>/dev/null || shift $#
case $mode in
  scale) scale "$@" ;;
  failover) failover "$@" ;;
esac
