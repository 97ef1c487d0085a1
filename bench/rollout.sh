#!/usr/bin/env bash
# Rolling-update benchmark, against a server of its own: a rollout of REPLICAS (10) replicas at
# parallelism 1 and PARALLEL (3), against the sum of the start + health-gate times of its batches.
#   bench/rollout.sh [IMAGE_DIR]                      (default: the built image)
#
# Starts `bin/orchestrator server` on 127.0.0.1 (ephemeral port, temp data dir, node "bench",
# a random ORCHESTRATOR_ADMIN_PASSWORD). Every service runs orchestrator-test/web:1 (busybox
# httpd on 8080, GET /health 200) with memory 16m and the http health check interval 500ms,
# timeout 500ms, retries 2, start_period 0s (the default).
#
# 1. bench-roll, REPLICAS replicas, deployed and awaited until REPLICAS/REPLICAS healthy.
# 2. Baseline, with bench-roll running: bench-one, same spec, deployed with 0 replicas.
#    b1: t0 just before POST /api/services/bench-one/scale {"replicas":1}, t1 = first GET
#    /api/services/bench-one (polled every 50 ms) showing 1 healthy replica; scaled back to 0
#    and awaited until its containers are gone; BASE_RUNS (5) times. b3: the same with
#    {"replicas":PARALLEL}, until PARALLEL healthy (PARALLEL replicas starting together, as a
#    batch of the parallel rollout does). The b1 and b3 samples alternate.
# 3. Rollout at parallelism 1: t0 just before POST /api/deploy of bench-roll with a new env
#    VERSION and "update": {"parallelism": 1, "delay": "0s", "monitor": "0s"}; t1 = first GET
#    /api/services/bench-roll (polled every 100 ms) whose deployment is the new revision with
#    status "succeeded". monitor is 0s so that t1 marks the end of the replacement, not the end
#    of a watch period after it (the default 5s would add 5 s to every rollout). Ideal =
#    REPLICAS x median(b1); ratio = measured / ideal.
# 4. The same at parallelism PARALLEL: ideal = ceil(REPLICAS / PARALLEL) x median(b3).
# 3 and 4 alternate, ROUNDS (3) times each; medians are reported. Between rollouts the script
# waits until REPLICAS replicas are healthy and the old containers are gone.
# From the server's event log (GET /api/events?service=bench-roll&since=T0, ms timestamps)
# each rollout is split up: POST -> first "Updating ..." (the controller's pick-up), each batch
# ("Updating ... (k/N)" to the next one; the last batch ends at "Rollout ... succeeded"), and
# "Updating bench-roll-i" -> "Updated bench-roll-i" per replica (the node's replace: start,
# health gate, withdraw and stop of the old container), split at Docker's Created and StartedAt
# of the new container and at the node's event "Container bench-roll-i healthy"; and the
# controller's step from a batch's last "Updated" to the next batch's "Updating".
#
# Before the baseline and before the rollouts, waits (up to QUIET_WAIT_S, default 1200 s, polling
# every 10 s) until no Maven build runs (`pgrep -f org.codehaus.plexus.classworlds`), no other
# orchestrator server uses the CPU (over 10 % of a core in the last 10 s) and the machine as a
# whole is under 30 % busy; then runs anyway, saying so. The machine's busy share during each
# part is printed. Everything it deployed is deleted at the end, also on error or Ctrl-C; only
# containers of its own services (bench-roll, bench-one, node "bench", its cluster) are touched.
# EVENTS_LOG=FILE keeps the server's event log (JSON).
# Needs bash, curl, docker, GNU date, awk, grep, sed, sort, getconf, pgrep.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
image_dir=${1:-$here/../distribution/target/orchestrator}
readonly IMAGE=orchestrator-test/web:1
readonly NODE=bench
readonly ROLL=bench-roll
readonly ONE=bench-one
readonly REPLICAS=${REPLICAS:-10}
readonly PARALLEL=${PARALLEL:-3}
readonly BASE_RUNS=${BASE_RUNS:-5}
readonly ROUNDS=${ROUNDS:-3}
readonly QUIET_WAIT_S=${QUIET_WAIT_S:-1200}
readonly READY_TIMEOUT_S=300  # longest wait for a service to be healthy, or a rollout to end
readonly GONE_TIMEOUT_S=120   # longest wait for removed containers to disappear
readonly HC='{"type":"http","endpoint":"http://localhost:8080/health","interval":"500ms","timeout":"500ms","retries":2}'

die() { printf 'rollout.sh: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
# iso_of MS: the instant as ISO-8601 UTC with milliseconds (what GET /api/events takes).
iso_of() { date -u -d "@$(( $1 / 1000 )).$(printf '%03d' $(( $1 % 1000 )))" +%Y-%m-%dT%H:%M:%S.%3NZ; }
ms_of() { date -d "$1" +%s%3N; }
sec() { awk -v ms="$1" 'BEGIN {printf "%.2f", ms / 1000}'; }

[[ -x $image_dir/bin/orchestrator ]] || die "no $image_dir/bin/orchestrator: build it (mvn -B -DskipTests package)"
for tool in curl docker date awk grep sed sort getconf pgrep; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE missing: run scripts/test-images.sh"
for n in "$REPLICAS" "$PARALLEL" "$BASE_RUNS" "$ROUNDS"; do
  [[ $n =~ ^[1-9][0-9]{0,2}$ ]] || die "counts must be positive integers below 1000, got '$n'"
done
(( PARALLEL <= REPLICAS )) || die "PARALLEL ($PARALLEL) must not exceed REPLICAS ($REPLICAS)"
clk_tck=$(getconf CLK_TCK)

work=$(mktemp -d)
server_pid=
api=
cluster=
services=()

# The containers of one of our services (all states), by labels.
containers_of() {
  local filters=(--filter "label=dev.orchestrator.service=$1" --filter "label=dev.orchestrator.node=$NODE")
  [[ -n $cluster ]] && filters+=(--filter "label=dev.orchestrator.cluster=$cluster")
  docker ps -aq "${filters[@]}"
}

cleanup() {
  local rc=$? name deadline
  set +e
  trap - EXIT INT TERM
  for name in "${services[@]}"; do
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
      curl -s -o /dev/null -m 10 -K "$work/curlrc" -X DELETE "$api/api/services/$name"
    fi
  done
  deadline=$(( $(date +%s) + GONE_TIMEOUT_S ))
  for name in "${services[@]}"; do
    while [[ -n $(containers_of "$name") ]] && (( $(date +%s) < deadline )); do sleep 0.5; done
    # Whatever the server did not remove (it was gone, or too slow): ours, so remove it.
    containers_of "$name" | xargs -r docker rm -f >/dev/null
  done
  stop_server "$server_pid"
  show_log_tail "$rc" "$work/server.log" 30
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- a quiet machine ---------------------------------------------------------------------------
cpu_ticks() { # PID: utime+stime in clock ticks (fields 14 and 15; comm may hold spaces)
  local rest
  rest=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  awk '{print $12 + $13}' <<<"$rest"
}
machine_ticks() { awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; } # "total idle"
# machine_mark; ...; machine_busy: the whole machine's busy share (all cores, %) in between.
machine_mark() { read -r mark_tot mark_idle < <(machine_ticks); }
machine_busy() {
  local tot idle
  read -r tot idle < <(machine_ticks)
  awk -v t=$(( tot - mark_tot )) -v i=$(( idle - mark_idle )) 'BEGIN {printf "%.0f", (t - i) / t * 100}'
}

busy_reasons() { # prints why the machine is busy (empty: quiet); takes 10 s
  local i p busy reasons=() before=() pids=()
  mapfile -t pids < <(pgrep -f 'dev\.orchestrator\.cli\.Main server' | grep -vx "${server_pid:-0}" || true)
  for p in "${pids[@]}"; do before+=("$(cpu_ticks "$p")"); done
  machine_mark
  sleep 10
  busy=$(machine_busy)
  (( busy > 30 )) && reasons+=("the machine is ${busy} % busy")
  pgrep -f 'org.codehaus.plexus.classworlds' >/dev/null && reasons+=("a Maven build")
  for i in "${!pids[@]}"; do
    p=${pids[$i]}
    [[ -d /proc/$p ]] || continue
    if (( $(cpu_ticks "$p") - ${before[$i]} > clk_tck )); then  # > 1 s of CPU in 10 s: 10 % of a core
      reasons+=("orchestrator server pid $p")
    fi
  done
  local IFS=';'
  echo "${reasons[*]}"
}

wait_quiet() {
  local deadline busy
  deadline=$(( $(date +%s) + QUIET_WAIT_S ))
  while :; do
    busy=$(busy_reasons)
    [[ -z $busy ]] && { echo "machine quiet (no Maven build, no busy orchestrator server, under 30 % busy); load average $(cut -d ' ' -f 1-3 /proc/loadavg)"; return; }
    if (( $(date +%s) >= deadline )); then
      echo "WARNING: still busy after ${QUIET_WAIT_S} s ($busy): measuring anyway, figures may be disturbed"
      return
    fi
    echo "waiting for a quiet machine: $busy; load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
  done
}

# --- the server and its API --------------------------------------------------------------------
start_server() {
  local password port=
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  ( umask 077; printf 'user = "admin:%s"\n' "$password" >"$work/curlrc" )
  ORCHESTRATOR_ADMIN_PASSWORD=$password "$image_dir/bin/orchestrator" server --bind 127.0.0.1 --port 0 \
      --data-dir "$work/data" --plugins-dir "$work/plugins" --node-name "$NODE" >"$work/server.log" 2>&1 &
  server_pid=$!  # the launcher execs the JVM: this is the JVM's pid
  for _ in $(seq 1 600); do  # at most 30 s
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/server.log" | head -n 1)
    [[ -n $port ]] && break
    kill -0 "$server_pid" 2>/dev/null || die "the server exited at start-up"
    sleep 0.05
  done
  [[ -n $port ]] || die "the server did not report its port within 30 s"
  api="http://127.0.0.1:$port"
  [[ $(api_code GET /api/nodes) == 200 ]] || die "GET /api/nodes failed: $(cat "$work/out")"
}

# api_code METHOD PATH [BODY]: the status; the body is in $work/out.
api_code() {
  local args=(-s -o "$work/out" -w '%{http_code}' -m 30 -K "$work/curlrc" -X "$1")
  (( $# > 2 )) && args+=(-H 'Content-Type: application/json' -d "$3")
  curl "${args[@]}" "$api$2" || echo 000
}
api_get() { curl -s -m 30 -K "$work/curlrc" "$api$1"; }

# spec NAME REPLICAS VERSION PARALLELISM: the deploy body (same spec for every service but the
# name; the env VERSION makes a new revision).
spec() {
  printf '{"name":"%s","image":"%s","replicas":%d,"health_check":%s,"resources":{"memory_mb":16},"env":{"VERSION":"%s"},"update":{"parallelism":%d,"delay":"0s","monitor":"0s"}}' \
    "$1" "$IMAGE" "$2" "$HC" "$3" "$4"
}

# Removes a service and waits until its containers are gone.
remove_service() {
  local code deadline
  code=$(api_code DELETE "/api/services/$1")
  [[ $code == 200 ]] || die "DELETE $1 answered $code: $(cat "$work/out")"
  deadline=$(( $(date +%s) + GONE_TIMEOUT_S ))
  while [[ -n $(containers_of "$1") ]]; do
    (( $(date +%s) < deadline )) || die "$1: containers still there ${GONE_TIMEOUT_S} s after DELETE"
    sleep 0.5
  done
}

# count_of SERVICE_JSON FIELD: the service's top-level count (running|healthy), -1 if absent.
# The service's own fields come before "containers" and "deployment" in the body.
count_of() {
  local head=${1%%\"containers\"*}
  [[ $head =~ \"$2\":([0-9]+) ]] && { echo "${BASH_REMATCH[1]}"; return; }
  echo -1
}

# await_healthy NAME N POLL_S: until the service shows N healthy replicas, every container in
# the API running and healthy, and exactly N containers in Docker (old ones gone). Prints the
# epoch ms when seen.
await_healthy() {
  local body deadline bad
  deadline=$(( $(now_ms) + READY_TIMEOUT_S * 1000 ))
  while :; do
    body=$(api_get "/api/services/$1")
    if (( $(count_of "$body" healthy) == $2 )); then
      bad=$(grep -o '"status":"[a-z]*","health":"[a-z]*"' <<<"$body" \
            | grep -vc '"status":"running","health":"healthy"') || true
      if (( bad == 0 )) && [[ $(containers_of "$1" | grep -c .) == "$2" ]]; then break; fi
    fi
    (( $(now_ms) < deadline )) || die "$1: not $2 healthy after ${READY_TIMEOUT_S} s: $body"
    sleep "$3"
  done
  now_ms
}

# await_count NAME N FIELD POLL_S: until the API's FIELD count is N; prints the epoch ms when seen.
# The baseline's measurement: nothing else is read between the polls.
await_count() {
  local deadline
  deadline=$(( $(now_ms) + READY_TIMEOUT_S * 1000 ))
  until (( $(count_of "$(api_get "/api/services/$1")" "$3") == $2 )); do
    (( $(now_ms) < deadline )) || die "$1: $3 never reached $2 within ${READY_TIMEOUT_S} s"
    sleep "$4"
  done
  now_ms
}

# await_gone NAME: until Docker has no container of the service (after a scale to 0).
await_gone() {
  local deadline
  deadline=$(( $(date +%s) + GONE_TIMEOUT_S ))
  while [[ -n $(containers_of "$1") ]]; do
    (( $(date +%s) < deadline )) || die "$1: containers still there ${GONE_TIMEOUT_S} s after a scale to 0"
    sleep 0.2
  done
}

scale() {
  local code
  code=$(api_code POST "/api/services/$1/scale" "{\"replicas\":$2}")
  [[ $code == 200 ]] || die "scale of $1 to $2 answered $code: $(cat "$work/out")"
}

# deployment_of SERVICE_JSON: "REVISION STATUS" of its deployment, or nothing.
deployment_of() {
  local re='"deployment":\{"revision":([0-9]+),"from_revision":[0-9]+,"status":"([a-z_]+)"'
  [[ $1 =~ $re ]] && echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
  return 0
}

# events_of SERVICE T0_MS: "EPOCH_MS<TAB>MESSAGE" of the service's events since T0, by time.
events_of() {
  local body
  body=$(api_get "/api/events?service=$1&since=$(iso_of "$2")&limit=10000")
  grep -o '"timestamp":"[^"]*","type":"[^"]*","service":"[^"]*","container":[^,]*,"message":"[^"]*"' <<<"$body" \
    | sed 's/^"timestamp":"\([^"]*\)".*"message":"\([^"]*\)"$/\1\t\2/' \
    | while IFS=$'\t' read -r ts msg; do printf '%s\t%s\n' "$(ms_of "$ts")" "$msg"; done | sort -n -k1,1
}

# --- statistics --------------------------------------------------------------------------------
median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {
    printf "%d\n", (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'
}
minmax() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%d-%d", lo, hi}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# --- run ---------------------------------------------------------------------------------------
echo "rollout bench: image dir $image_dir, $(nproc) cpus, $(uname -r), docker $(docker version -f '{{.Server.Version}}')"
echo "$REPLICAS replicas, parallelism 1 and $PARALLEL, $ROUNDS rounds; baseline $BASE_RUNS x scale 0->1 and 0->$PARALLEL"
wait_quiet
start_server
echo "server $api (pid $server_pid, node $NODE), $(date -u +%Y-%m-%dT%H:%M:%SZ)"

# 1. the service to roll ----------------------------------------------------------------------------
version=0
services+=("$ROLL")
t0=$(now_ms)
code=$(api_code POST /api/deploy "$(spec "$ROLL" "$REPLICAS" "v$version" 1)")
[[ $code == 201 ]] || die "deploy of $ROLL answered $code: $(cat "$work/out")"
t1=$(await_healthy "$ROLL" "$REPLICAS" 0.2)
echo "1. $ROLL: $REPLICAS/$REPLICAS healthy after $(sec $(( t1 - t0 ))) s"
cluster=$(docker inspect -f '{{index .Config.Labels "dev.orchestrator.cluster"}}' \
    "$(docker ps -q --filter "label=dev.orchestrator.service=$ROLL" --filter "label=dev.orchestrator.node=$NODE" | head -n 1)")
[[ -n $cluster ]] || die "cannot read the cluster label of $ROLL's containers"

# 2. baseline: start + health gate of 1 and of PARALLEL replicas -------------------------------------
services+=("$ONE")
code=$(api_code POST /api/deploy "$(spec "$ONE" 0 v0 1)")
[[ $code == 201 ]] || die "deploy of $ONE with 0 replicas answered $code: $(cat "$work/out")"
wait_quiet
b1=() b3=() b1s=() b3s=() b1g=() b3g=()
machine_mark
for i in $(seq 1 "$BASE_RUNS"); do
  for n in 1 "$PARALLEL"; do
    sleep 1
    t0=$(now_ms)
    scale "$ONE" "$n"
    t1=$(await_count "$ONE" "$n" healthy 0.05)
    # Docker's StartedAt of the last container to start: where the start ends and the gate begins.
    started=$(containers_of "$ONE" | xargs docker inspect -f '{{.State.StartedAt}}' | sort | tail -n 1)
    st=$(( $(ms_of "$started") - t0 ))
    # The node's last "Container bench-one-j healthy" event: StartedAt -> healthy, as in a rollout.
    h=$(events_of "$ONE" "$t0" | awk -F'\t' '$2 ~ /^Container .* healthy$/ {h = $1} END {print h}')
    [[ $h =~ ^[0-9]+$ ]] || die "$ONE: no 'Container ... healthy' event since t0"
    gt=$(( h - $(ms_of "$started") ))
    if (( n == 1 )); then b1+=("$(( t1 - t0 ))") b1s+=("$st") b1g+=("$gt"); else b3+=("$(( t1 - t0 ))") b3s+=("$st") b3g+=("$gt"); fi
    printf '2. baseline %d/%d: scale %s 0 -> %d, %d healthy after %5d ms (last StartedAt at %4d ms, -> healthy event %d ms)\n' \
      "$i" "$BASE_RUNS" "$ONE" "$n" "$n" "$(( t1 - t0 ))" "$st" "$gt"
    scale "$ONE" 0
    await_count "$ONE" 0 running 0.2 >/dev/null
    await_gone "$ONE"
  done
done
echo "2. whole machine busy $(machine_busy) % (all cores) during the baseline; load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
(( ${#b1[@]} == BASE_RUNS && ${#b3[@]} == BASE_RUNS )) || die "baseline: ${#b1[@]} and ${#b3[@]} samples, expected $BASE_RUNS each"
b1_med=$(median "${b1[@]}")
b3_med=$(median "${b3[@]}")
remove_service "$ONE"

# 3., 4. rollouts ------------------------------------------------------------------------------------
batches_p=$(( (REPLICAS + PARALLEL - 1) / PARALLEL ))
ideal1=$(( REPLICAS * b1_med ))
idealp=$(( batches_p * b3_med ))
declare -A took=() server_s=() pickup=() batch=() upd=() tail_ms=() created_in=() started_in=() gate=() swap=() pick=()
wait_quiet
machine_mark
for round in $(seq 1 "$ROUNDS"); do
  for p in 1 "$PARALLEL"; do
    sleep 2
    version=$(( version + 1 ))
    t0=$(now_ms)
    code=$(api_code POST /api/deploy "$(spec "$ROLL" "$REPLICAS" "v$version" "$p")")
    [[ $code == 200 ]] || die "update of $ROLL answered $code: $(cat "$work/out")"
    [[ $(cat "$work/out") =~ \"revision\":([0-9]+) ]] || die "no revision in the update's answer: $(cat "$work/out")"
    rev=${BASH_REMATCH[1]}
    deadline=$(( t0 + READY_TIMEOUT_S * 1000 ))
    while :; do
      read -r drev dstatus < <(deployment_of "$(api_get "/api/services/$ROLL")"; echo) || true
      [[ $drev == "$rev" && $dstatus == succeeded ]] && break
      [[ $drev == "$rev" && -n $dstatus && $dstatus != running ]] && die "rollout to revision $rev ended $dstatus"
      (( $(now_ms) < deadline )) || die "rollout to revision $rev not done after ${READY_TIMEOUT_S} s ($drev $dstatus)"
      sleep 0.1
    done
    t1=$(now_ms)
    took[$p]+=" $(( t1 - t0 ))"
    # The server's own account, from its event log.
    events_of "$ROLL" "$t0" >"$work/ev"
    starts=() done_ms=
    mapfile -t starts < <(awk -F'\t' -v r="$rev" '$2 ~ "^Updating .* to revision " r " [(]" {print $1}' "$work/ev")
    done_ms=$(awk -F'\t' -v r="$rev" '$2 ~ "^Rollout of .* to revision " r " succeeded" {print $1; exit}' "$work/ev")
    secs=$(awk -F'\t' -v r="$rev" '$2 ~ "^Rollout of .* to revision " r " succeeded" {sub(/.*, in /, "", $2); sub(/s$/, "", $2); print $2; exit}' "$work/ev")
    (( ${#starts[@]} == (p == 1 ? REPLICAS : batches_p) )) || die "revision $rev: ${#starts[@]} batches in the event log, expected $(( p == 1 ? REPLICAS : batches_p ))"
    [[ -n $done_ms ]] || die "revision $rev: no 'Rollout ... succeeded' event"
    server_s[$p]+=" $secs"
    pickup[$p]+=" $(( starts[0] - t0 ))"
    tail_ms[$p]+=" $(( t1 - done_ms ))"
    bl=()
    for k in "${!starts[@]}"; do
      if (( k + 1 < ${#starts[@]} )); then bl+=("$(( starts[k + 1] - starts[k] ))"); else bl+=("$(( done_ms - starts[k] ))"); fi
    done
    batch[$p]+=" ${bl[*]}"
    # Per replica: its batch's "Updating" -> "Updated bench-roll-i" (the node's replace, the
    # old container's stop included), and Docker's Created and StartedAt of the new container.
    declare -A from=() upd_at=() healthy_at=()
    while IFS=$'\t' read -r ms msg; do
      msg=${msg#Updating }; msg=${msg% to revision *}
      IFS=', ' read -ra names <<<"$msg"
      for name in "${names[@]}"; do from[${name##*-}]=$ms; done
    done < <(awk -F'\t' -v r="$rev" '$2 ~ "^Updating .* to revision " r " [(]"' "$work/ev")
    while IFS=$'\t' read -r ms msg; do
      i=${msg#Updated "$ROLL"-}; i=${i%% *}
      upd_at[$i]=$ms
      [[ -n ${from[$i]:-} ]] || continue
      upd[$p]+=" $(( ms - from[$i] ))"
      # The node's "Container bench-roll-i healthy" of the new container (first after its batch began).
      h=$(awk -F'\t' -v n="Container $ROLL-$i healthy" -v t="${from[$i]}" '$2 == n && $1 >= t {print $1; exit}' "$work/ev")
      if [[ -n $h ]]; then healthy_at[$i]=$h; swap[$p]+=" $(( ms - h ))"; fi
    done < <(awk -F'\t' -v r="$rev" '$2 ~ "^Updated .* to revision " r "$"' "$work/ev")
    # Controller: the batch's last "Updated" -> the next batch's "Updating" (or "succeeded").
    for k in "${!starts[@]}"; do
      last=0
      for i in "${!from[@]}"; do
        if (( from[$i] == starts[k] && ${upd_at[$i]:-0} > last )); then last=${upd_at[$i]}; fi
      done
      next=$(( k + 1 < ${#starts[@]} ? starts[k + 1] : done_ms ))
      if (( last > 0 )); then pick[$p]+=" $(( next - last ))"; fi
    done
    await_healthy "$ROLL" "$REPLICAS" 0.2 >/dev/null  # the old containers are gone: only new ones
    while read -r i created started; do
      [[ -n ${from[$i]:-} ]] || continue
      c_ms=$(ms_of "$created") s_ms=$(ms_of "$started")
      created_in[$p]+=" $(( c_ms - from[$i] ))" started_in[$p]+=" $(( s_ms - from[$i] ))"
      if [[ -n ${healthy_at[$i]:-} ]]; then gate[$p]+=" $(( healthy_at[$i] - s_ms ))"; fi
    done < <(containers_of "$ROLL" | xargs docker inspect \
               -f '{{index .Config.Labels "dev.orchestrator.replica"}} {{.Created}} {{.State.StartedAt}}')
    unset from upd_at healthy_at
    printf '%d. round %d, parallelism %d, revision %d: succeeded seen after %6d ms (server: %ss); POST -> 1st batch %d ms; batches (ms) %s\n' \
      "$(( p == 1 ? 3 : 4 ))" "$round" "$p" "$rev" "$(( t1 - t0 ))" "$secs" "$(( starts[0] - t0 ))" "${bl[*]}"
  done
done
echo "3./4. whole machine busy $(machine_busy) % (all cores) during the rollouts; load average $(cut -d ' ' -f 1-3 /proc/loadavg)"

if [[ -n ${EVENTS_LOG:-} ]]; then
  api_get "/api/events?limit=10000" >"$EVENTS_LOG"
fi

# --- summary ---------------------------------------------------------------------------------------
# shellcheck disable=SC2086  # the per-key lists are space-separated on purpose
{
  m1=$(median ${took[1]}) mp=$(median ${took[$PARALLEL]})
  echo
  echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
  row() { printf '%-58s %9s %13s   %s\n' "$@"; }
  row "summary" median range samples
  row "b1: scale 0->1, until 1 healthy (n=$BASE_RUNS)" "$b1_med ms" "$(minmax "${b1[@]}")" "${b1[*]}"
  row "  of which scale -> Docker's StartedAt" "$(median "${b1s[@]}") ms" "$(minmax "${b1s[@]}")" "${b1s[*]}"
  row "  last StartedAt -> 'healthy' event" "$(median "${b1g[@]}") ms" "$(minmax "${b1g[@]}")" "${b1g[*]}"
  row "b$PARALLEL: scale 0->$PARALLEL, until $PARALLEL healthy (n=$BASE_RUNS)" "$b3_med ms" "$(minmax "${b3[@]}")" "${b3[*]}"
  row "  of which scale -> the last StartedAt" "$(median "${b3s[@]}") ms" "$(minmax "${b3s[@]}")" "${b3s[*]}"
  row "  last StartedAt -> last 'healthy' event" "$(median "${b3g[@]}") ms" "$(minmax "${b3g[@]}")" "${b3g[*]}"
  for p in 1 "$PARALLEL"; do
    row "parallelism $p: POST -> succeeded seen (n=$ROUNDS)" "$(median ${took[$p]}) ms" "$(minmax ${took[$p]})" "${took[$p]# }"
    row "  server's 'succeeded ... in' (started_at -> success)" "$(median "$(printf '%s\n' ${server_s[$p]} | awk '{print $1 * 1000}')") ms" "" "${server_s[$p]# } s"
    row "  POST -> first 'Updating' event" "$(median ${pickup[$p]}) ms" "$(minmax ${pickup[$p]})" ""
    row "  one batch ('Updating' -> next, last -> 'succeeded')" "$(median ${batch[$p]}) ms" "$(minmax ${batch[$p]})" ""
    row "  per replica 'Updating' -> 'Updated' (old one stopped)" "$(median ${upd[$p]}) ms" "$(minmax ${upd[$p]})" ""
    row "    of which 'Updating' -> Docker's Created" "$(median ${created_in[$p]}) ms" "$(minmax ${created_in[$p]})" ""
    row "    of which 'Updating' -> Docker's StartedAt" "$(median ${started_in[$p]}) ms" "$(minmax ${started_in[$p]})" ""
    row "    of which StartedAt -> 'healthy' event (settle, gate)" "$(median ${gate[$p]}) ms" "$(minmax ${gate[$p]})" ""
    row "    of which 'healthy' -> 'Updated' (old one out, stopped)" "$(median ${swap[$p]}) ms" "$(minmax ${swap[$p]})" ""
    row "  batch's last 'Updated' -> next 'Updating'/'succeeded'" "$(median ${pick[$p]}) ms" "$(minmax ${pick[$p]})" ""
    row "  'succeeded' event -> seen by the 100 ms poll" "$(median ${tail_ms[$p]}) ms" "$(minmax ${tail_ms[$p]})" ""
  done
  echo
  printf '%-40s %10s %22s %7s\n' "rollout of $REPLICAS" "measured" "ideal" ratio
  printf '%-40s %7s ms %22s %7s\n' "parallelism 1" "$m1" "$REPLICAS x b1 = $ideal1 ms" "$(ratio "$m1" "$ideal1")"
  printf '%-40s %7s ms %22s %7s\n' "parallelism $PARALLEL" "$mp" "$batches_p x b$PARALLEL = $idealp ms" "$(ratio "$mp" "$idealp")"
  if (( REPLICAS % PARALLEL == 1 )); then  # the last batch is 1 replica: b1, not b3
    ideal_r=$(( REPLICAS / PARALLEL * b3_med + b1_med ))
    printf '%-40s %7s ms %22s %7s\n' "  (last batch of 1 counted as b1)" "$mp" "$(( REPLICAS / PARALLEL )) x b$PARALLEL + b1 = $ideal_r ms" "$(ratio "$mp" "$ideal_r")"
  fi
}
