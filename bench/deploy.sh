#!/usr/bin/env bash
# Deploy benchmark: time for `orchestrator` to get N replicas of orchestrator-test/web:1
# running, against the baseline of N parallel `docker run -d` of the same image, in one run.
#   bench/deploy.sh [IMAGE_DIR] [N] [RUNS]        (defaults: the built image, N=20, RUNS=5)
#   BENCH_NODE=agent bench/deploy.sh ...          the replicas run on an agent (a second process
#                                                 joined with a token), the server has no node
#
# (a) orchestrator: a server on 127.0.0.1 (ephemeral port, temp data dir, own node name),
#     t0 = just before `POST /api/deploy` (curl, basic auth), then GET /api/services/NAME
#     with 50 ms between polls until "running" == N: t1. Also reads the server's own events:
#     deploy event to first / last "Container NAME-i running". Then DELETE and wait until the service's
#     containers are gone (docker ps -a --filter label=dev.orchestrator.service=NAME).
# (b) baseline: N concurrent `docker run -d --name benchbase-<i> orchestrator-test/web:1`
#     (launched with &, then wait), t0 = before the launch, t1 = when `docker inspect -f
#     '{{.State.Running}}'` says true for all N (50 ms between polls); then docker rm -f.
#     The containers carry one extra label, bench.deploy.run=<id>, so that only they are removed.
#     BENCH_BASE_NET=user (the default) runs them on a user-defined bridge network made for the
#     run (benchnet-<id>), as the orchestrator's replicas are on its managed bridge networks:
#     Docker does more per start on such a network (its embedded DNS, the network's rules) than
#     on the default bridge. BENCH_BASE_NET=default uses Docker's default bridge (earlier runs).
# Runs alternate the order: odd runs do (a) then (b), even runs (b) then (a).
# For both, docker's Created/StartedAt of the containers show where the time went.
# Prints every run, the medians and the ratio median(a)/median(b), then one summary line.
# Only containers this script created are touched (by label, and by the benchbase- names it
# launched itself). Needs bash, curl, docker, GNU date, awk, grep, sed.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
image_dir=${1:-$here/../distribution/target/orchestrator}
n=${2:-20}
runs=${3:-5}
readonly IMAGE=orchestrator-test/web:1
readonly MODE=${BENCH_NODE:-local}
readonly BASE_NET=${BENCH_BASE_NET:-user}
readonly TARGET=$([[ $MODE == agent ]] && echo 1.05 || echo 1.15)
readonly POLL=0.05
readonly RUN_TIMEOUT_S=120
readonly GONE_TIMEOUT_S=60

die() { printf 'deploy.sh: %s\n' "$*" >&2; exit 1; }
now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }

if ! [[ $n =~ ^[1-9][0-9]{0,3}$ ]] || (( n > 1000 )); then die "N must be 1..1000, got '$n'"; fi
if ! [[ $runs =~ ^[1-9][0-9]?$ ]]; then die "RUNS must be 1..99, got '$runs'"; fi
[[ -x $image_dir/bin/orchestrator ]] || die "no $image_dir/bin/orchestrator: build it (mvn -B -DskipTests package)"
for tool in curl docker date awk grep sed; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE missing: run scripts/test-images.sh"

run_id=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
node="benchnode-$run_id"
base_label="bench.deploy.run=$run_id"
[[ $MODE == local || $MODE == agent ]] || die "BENCH_NODE must be local or agent, got '$MODE'"
[[ $BASE_NET == user || $BASE_NET == default ]] || die "BENCH_BASE_NET must be user or default, got '$BASE_NET'"
base_net_args=()
work=$(mktemp -d)
server_pid=
agent_pid=
api=
services=()

# Fixed names (benchbase-1..N): refuse to start rather than touch a container that is not ours.
for i in $(seq 1 "$n"); do
  if docker container inspect "benchbase-$i" >/dev/null 2>&1; then
    die "a container named benchbase-$i already exists (not created by this run); remove it first"
  fi
done

cleanup() {
  local rc=$? name
  set +e
  trap - EXIT INT TERM
  for name in "${services[@]}"; do
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
      curl -s -o /dev/null -m 10 -K "$work/curlrc" -X DELETE "$api/api/services/$name"
    fi
    # The server leaves containers running when it stops: remove ours (this service on our node).
    docker ps -aq --filter "label=dev.orchestrator.service=$name" --filter "label=dev.orchestrator.node=$node" \
        | xargs -r docker rm -f >/dev/null
  done
  docker ps -aq --filter "label=$base_label" | xargs -r docker rm -f >/dev/null
  [[ $BASE_NET == user ]] && docker network rm "benchnet-$run_id" >/dev/null 2>&1
  stop_server "$agent_pid"
  stop_server "$server_pid"
  show_log_tail "$rc" "$work/server.log" 20
  show_log_tail "$rc" "$work/agent.log" 20
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [[ $BASE_NET == user ]]; then
  docker network create --label "$base_label" "benchnet-$run_id" >/dev/null || die "cannot create network benchnet-$run_id"
  base_net_args=(--network "benchnet-$run_id")
fi

# --- the server -------------------------------------------------------------------------------
password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
( umask 077; printf 'user = "admin:%s"\n' "$password" >"$work/curlrc" )
if [[ $MODE == agent ]]; then
  node_flags=(--no-local-node)
else
  node_flags=(--node-name "$node")
fi
ORCHESTRATOR_ADMIN_PASSWORD=$password "$image_dir/bin/orchestrator" server --bind 127.0.0.1 --port 0 \
    --data-dir "$work/data" --plugins-dir "$work/plugins" "${node_flags[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 600); do  # at most 30 s
  port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/server.log" | head -n 1)
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || die "the server exited at start-up"
  sleep "$POLL"
done
[[ -n $port ]] || die "the server did not report its port within 30 s"
api="http://127.0.0.1:$port"
# Check the credentials once before timing anything (a 401 would otherwise look like a failed
# deploy). This also puts them in the server's verified-credentials cache (1 min), as any
# client session would.
code=$(curl -s -o /dev/null -w '%{http_code}' -K "$work/curlrc" "$api/api/nodes")
[[ $code == 200 ]] || die "GET /api/nodes answered $code"

if [[ $MODE == agent ]]; then
  token=$(curl -s -K "$work/curlrc" -X POST "$api/api/tokens" | sed -n 's|.*"token":"\([^"]*\)".*|\1|p')
  [[ -n $token ]] || die "POST /api/tokens gave no token"
  "$image_dir/bin/orchestrator" agent --server "$api" --token "$token" --name "$node" \
      --advertise-address 127.0.0.1 --port 0 --data-dir "$work/agent" --plugins-dir "$work/plugins" \
      >"$work/agent.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 1 600); do
    grep -q "\"id\":\"$node\".*\"status\":\"ready\"" <(curl -s -K "$work/curlrc" "$api/api/nodes") && break
    kill -0 "$agent_pid" 2>/dev/null || die "the agent exited at start-up"
    sleep "$POLL"
  done
fi

# span T0 ID_OR_NAME...: prints "CREATED_FIRST CREATED_LAST STARTED_FIRST STARTED_LAST", docker's
# Created and State.StartedAt of the containers minus T0, in ms (same clock as T0).
span() {
  local t0=$1 created started c s cf=0 cl=0 sf=0 sl=0
  shift
  while read -r created started; do
    c=$(date -d "$created" +%s%N) s=$(date -d "$started" +%s%N)
    if (( cf == 0 || c < cf )); then cf=$c; fi
    if (( c > cl )); then cl=$c; fi
    if (( sf == 0 || s < sf )); then sf=$s; fi
    if (( s > sl )); then sl=$s; fi
  done < <(docker inspect -f '{{.Created}} {{.State.StartedAt}}' "$@")
  echo "$(( (cf - t0) / 1000000 )) $(( (cl - t0) / 1000000 )) $(( (sf - t0) / 1000000 )) $(( (sl - t0) / 1000000 ))"
}

# --- (a) orchestrator -------------------------------------------------------------------------
# Sets: a_ms, a_polls, a_post_ms, a_first_ms, a_last_ms, a_delete_ms, a_created_first, a_created_last,
#       a_started_first, a_started_last
iso_ns() { date -d "$1" +%s%N; }

run_orchestrator() {
  local run=$1
  local name="bdep-$run_id-$run" body code t0 t1 running deadline events deploy_ts first_ts last_ts
  services+=("$name")
  body="{\"name\":\"$name\",\"image\":\"$IMAGE\",\"replicas\":$n}"
  t0=$(now_ns)
  code=$(curl -s -o "$work/deploy.json" -w '%{http_code}' -K "$work/curlrc" \
      -H 'Content-Type: application/json' -d "$body" "$api/api/deploy")
  [[ $code == 201 ]] || die "POST /api/deploy answered $code: $(cat "$work/deploy.json")"
  a_polls=0
  deadline=$(( t0 + RUN_TIMEOUT_S * 1000000000 ))
  while :; do
    body=$(curl -s -K "$work/curlrc" "$api/api/services/$name") || body=
    kill -0 "$server_pid" 2>/dev/null || die "the server exited during the deploy of $name"
    a_polls=$(( a_polls + 1 ))
    running=-1
    [[ $body =~ \"running\":([0-9]+) ]] && running=${BASH_REMATCH[1]}
    (( running == n )) && break
    (( $(now_ns) < deadline )) || die "$name: $running/$n running after ${RUN_TIMEOUT_S} s: $body"
    sleep "$POLL"
  done
  t1=$(now_ns)
  a_ms=$(( (t1 - t0) / 1000000 ))

  # The server's own view, from its events (timestamps from the same clock as t0).
  events=$(curl -s -K "$work/curlrc" "$api/api/events?service=$name&limit=10000" \
      | grep -o '"timestamp":"[^"]*","type":"[^"]*","service":"[^"]*","container":[^,]*,"message":"[^"]*"') || true
  deploy_ts=$(grep -m 1 "\"message\":\"Service $name deployed" <<<"$events" \
      | sed 's|^"timestamp":"\([^"]*\)".*|\1|') || true
  first_ts=$(grep "\"message\":\"Container $name-[0-9]* running\"" <<<"$events" \
      | sed 's|^"timestamp":"\([^"]*\)".*|\1|' | sort | head -n 1) || true
  last_ts=$(grep "\"message\":\"Container $name-[0-9]* running\"" <<<"$events" \
      | sed 's|^"timestamp":"\([^"]*\)".*|\1|' | sort | tail -n 1) || true
  a_post_ms=NA a_first_ms=NA a_last_ms=NA
  if [[ -n $deploy_ts ]]; then
    a_post_ms=$(( ($(iso_ns "$deploy_ts") - t0) / 1000000 ))
    [[ -n $first_ts ]] && a_first_ms=$(( ($(iso_ns "$first_ts") - $(iso_ns "$deploy_ts")) / 1000000 ))
    [[ -n $last_ts ]] && a_last_ms=$(( ($(iso_ns "$last_ts") - $(iso_ns "$deploy_ts")) / 1000000 ))
  fi

  # Docker's own record of when the containers started, relative to t0.
  local ids=()
  mapfile -t ids < <(docker ps -aq --filter "label=dev.orchestrator.service=$name" \
      --filter "label=dev.orchestrator.node=$node")
  (( ${#ids[@]} > 0 )) || die "$name: no containers found by label after all were reported running"
  read -r a_created_first a_created_last a_started_first a_started_last < <(span "$t0" "${ids[@]}")
  local running_events
  running_events=$(grep -c "\"message\":\"Container $name-[0-9]* running\"" <<<"$events") || true
  if (( ${#ids[@]} != n || running_events != n )); then
    echo "  note: $name has ${#ids[@]} containers and $running_events \"running\" events for $n replicas" \
         "(a restart or a duplicate?): $(grep -o '"message":"[^"]*"' <<<"$events" \
         | grep -v -e 'running"' -e 'deployed (' | head -n 3 | tr '\n' ' ')"
  fi

  # Remove the service; wait until its containers are gone (not timed in the result).
  t0=$(now_ns)
  code=$(curl -s -o /dev/null -w '%{http_code}' -K "$work/curlrc" -X DELETE "$api/api/services/$name")
  [[ $code == 200 ]] || die "DELETE /api/services/$name answered $code"
  deadline=$(( t0 + GONE_TIMEOUT_S * 1000000000 ))
  while [[ -n $(docker ps -aq --filter "label=dev.orchestrator.service=$name" \
                --filter "label=dev.orchestrator.node=$node") ]]; do
    (( $(now_ns) < deadline )) || die "$name: containers still there ${GONE_TIMEOUT_S} s after DELETE"
    sleep "$POLL"
  done
  a_delete_ms=$(ms_since "$t0")
}

# --- (b) baseline: N parallel docker run ------------------------------------------------------
# Sets: b_ms, b_launch_ms, b_created_first, b_created_last, b_started_first, b_started_last
run_docker() {
  local i t0 pids=() names=() failed=0 up deadline
  for i in $(seq 1 "$n"); do names+=("benchbase-$i"); done
  t0=$(now_ns)
  for i in $(seq 1 "$n"); do
    docker run -d --label "$base_label" "${base_net_args[@]}" --name "benchbase-$i" "$IMAGE" >"$work/run-$i.out" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || failed=$(( failed + 1 )); done
  b_launch_ms=$(ms_since "$t0")
  (( failed == 0 )) || die "$failed docker run(s) failed: $(cat "$work"/run-*.out | grep -v '^[0-9a-f]\{64\}$' | head -n 3)"
  deadline=$(( t0 + RUN_TIMEOUT_S * 1000000000 ))
  while :; do
    up=$(docker inspect -f '{{.State.Running}}' "${names[@]}" 2>/dev/null | grep -c '^true$') || true
    (( up == n )) && break
    (( $(now_ns) < deadline )) || die "baseline: $up/$n running after ${RUN_TIMEOUT_S} s"
    sleep "$POLL"
  done
  b_ms=$(ms_since "$t0")
  read -r b_created_first b_created_last b_started_first b_started_last < <(span "$t0" "${names[@]}")
  docker ps -aq --filter "label=$base_label" | xargs -r docker rm -f >/dev/null
}

# --- the runs ---------------------------------------------------------------------------------
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "deploy bench: N=$n RUNS=$runs image=$IMAGE server=$api node=$node ($MODE)"
echo "$("$image_dir/bin/orchestrator" --version 2>&1 | head -n 1), image built $(date -u -r "$image_dir/bin/orchestrator" '+%F %T') UTC"
echo "docker $(docker version -f '{{.Server.Version}}'), $(nproc) cpus, $(uname -r), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
a_all=() b_all=() a_cf=() b_cf=() a_sf=() a_sl=() a_tail=() b_sf=() b_sl=() b_tail=() first_all=() last_all=()
for run in $(seq 1 "$runs"); do
  if (( run % 2 == 1 )); then
    order="a,b"; run_orchestrator "$run"; run_docker
  else
    order="b,a"; run_docker; run_orchestrator "$run"
  fi
  a_all+=("$a_ms") b_all+=("$b_ms")
  a_cf+=("$a_created_first") b_cf+=("$b_created_first")
  a_sf+=("$a_started_first") a_sl+=("$a_started_last") a_tail+=("$(( a_ms - a_started_last ))")
  b_sf+=("$b_started_first") b_sl+=("$b_started_last") b_tail+=("$(( b_ms - b_started_last ))")
  [[ $a_first_ms == NA ]] || first_all+=("$a_first_ms")
  [[ $a_last_ms == NA ]] || last_all+=("$a_last_ms")
  printf 'run %d (%s): orchestrator %d ms, docker run %d ms\n' "$run" "$order" "$a_ms" "$b_ms"
  printf '  orchestrator: docker Created %d..%d ms, StartedAt %d..%d ms, all running seen %d ms after the last start (%d polls)\n' \
    "$a_created_first" "$a_created_last" "$a_started_first" "$a_started_last" "$(( a_ms - a_started_last ))" "$a_polls"
  printf '                server events: POST->deploy %s ms, deploy->first running %s ms, deploy->last running %s ms; DELETE to containers gone %d ms\n' \
    "$a_post_ms" "$a_first_ms" "$a_last_ms" "$a_delete_ms"
  printf '  docker run:   docker Created %d..%d ms, StartedAt %d..%d ms, all running seen %d ms after the last start (the %d launches returned at %d ms)\n' \
    "$b_created_first" "$b_created_last" "$b_started_first" "$b_started_last" "$(( b_ms - b_started_last ))" "$n" "$b_launch_ms"
done

med() { printf '%s\n' "$@" | median; }
med_a=$(med "${a_all[@]}")
med_b=$(med "${b_all[@]}")
med_first=NA med_last=NA
(( ${#first_all[@]} == 0 )) || med_first=$(med "${first_all[@]}")
(( ${#last_all[@]} == 0 )) || med_last=$(med "${last_all[@]}")
ratio=$(awk -v a="$med_a" -v b="$med_b" 'BEGIN {printf "%.2f", a / b}')
verdict=$(awk -v r="$ratio" -v t="$TARGET" 'BEGIN {print (r <= t ? "met" : "NOT met")}')
echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg) (other work on the machine skews both sides)"
echo "medians (ms)       total  first created  first start  last start  after last start"
printf 'orchestrator (a) %7s %14s %12s %11s %17s   server: deploy->first running %s, deploy->last running %s\n' \
  "$med_a" "$(med "${a_cf[@]}")" "$(med "${a_sf[@]}")" "$(med "${a_sl[@]}")" "$(med "${a_tail[@]}")" "$med_first" "$med_last"
printf 'docker run   (b) %7s %14s %12s %11s %17s\n' \
  "$med_b" "$(med "${b_cf[@]}")" "$(med "${b_sf[@]}")" "$(med "${b_sl[@]}")" "$(med "${b_tail[@]}")"
echo "orchestrator (a) per run: ${a_all[*]} ms"
echo "docker run   (b) per run: ${b_all[*]} ms"
echo "ratio median(a)/median(b): $ratio (target <= $TARGET: $verdict)"
echo "summary: N=$n node=$MODE baseline_network=$BASE_NET runs=$runs orchestrator=${med_a}ms docker_run=${med_b}ms ratio=$ratio target<=$TARGET $verdict"
