#!/usr/bin/env bash
# Health-check and self-healing benchmark, against a server of its own.
#   bench/health.sh [IMAGE_DIR]                       (default: the built image)
#
# Starts `bin/orchestrator server` on 127.0.0.1 (ephemeral port, temp data dir, node "bench",
# a random ORCHESTRATOR_ADMIN_PASSWORD) and measures, with orchestrator-test/web:1 (busybox
# httpd on 8080; GET /health is 200 while /www/health exists, 404 once it is removed):
#
# (a) crash -> restart issued. Service bench-hkill, KILLS (20) replicas, no health check. Each
#     replica is killed once (replica i on round i), so every restart takes the immediate path
#     of the restart backoff (a replica's 2nd failure within 60 s would wait 1 s, then 2 s...).
#     t0 = `date +%s%3N` just before `docker kill`; "issued" = the timestamp of the server's
#     event "Restarting bench-hkill-<i>..." (GET /api/events?service=..&since=<t0>), and of
#     "Container bench-hkill-<i> exited with code 137" (Docker's die event has reached it);
#     "running" = first GET /api/services/bench-hkill (polled every 50 ms) that shows replica
#     i with a new id and status running. 2 s between kills.
# (b) unhealthy -> restart issued. Service bench-hhc, 10 replicas, http health check
#     interval 1s, timeout 1s, retries 3. For each replica: wait until 10/10 healthy, then a
#     random 0..interval (so the removal falls at a random point of the probe cycle),
#     t0 just before `docker exec <c> rm /www/health`; "failed" = timestamp of the event
#     "Container bench-hhc-<i> failed health check (...)", "issued" = of "Restarting
#     bench-hhc-<i>...", "healthy" = the API shows replica i with a new id and healthy.
#     Goal: issued <= interval x retries + 1 s = 4 s.
# (c) the seed's settings: service bench-hseed, 3 replicas, interval 10s, timeout 2s,
#     retries 3; the same measurement, one replica after the other.
# (d) probe overhead: CPU time of the server JVM (utime+stime from /proc/PID/stat) over
#     CPU_WINDOW_S (60) s, in 10 s samples, and its VmRSS, with 100 idle replicas of web:1
#     (memory 16m each): first service bench-hcpu without a health check; it is deleted, then
#     bench-hcpu2 with the http check (interval 1s, timeout 1s, retries 3) at 100/100 healthy.
#     The whole machine's busy share (/proc/stat) is printed next to it, to expose other load.
#
# Before each of (a) to (d), waits (up to QUIET_WAIT_S, default 1200 s, polling every 10 s)
# until no Maven build runs (`pgrep -f org.codehaus.plexus.classworlds`), no other
# orchestrator server uses the CPU (over 10 % of a core in the last 10 s) and the machine as
# a whole is under 30 % busy; then runs anyway, saying so. Percentiles are nearest-rank.
# Everything it deployed is deleted at the end, also on error or Ctrl-C; only containers of
# its own services (bench-h*, node "bench", its cluster) are touched.
# EVENTS_LOG=FILE keeps the server's event log (JSON).
# Needs bash, curl, docker, GNU date, awk, grep, sed, getconf, pgrep.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
image_dir=${1:-$here/../distribution/target/orchestrator}
readonly IMAGE=orchestrator-test/web:1
readonly NODE=bench
readonly KILLS=${KILLS:-20}
readonly HC_REPLICAS=${HC_REPLICAS:-10}
readonly SEED_REPLICAS=${SEED_REPLICAS:-3}
readonly CPU_REPLICAS=${CPU_REPLICAS:-100}
readonly CPU_WINDOW_S=${CPU_WINDOW_S:-60}
readonly QUIET_WAIT_S=${QUIET_WAIT_S:-1200}
readonly SETTLE_S=15          # after a deploy, before a CPU window
readonly EVENT_TIMEOUT_S=60   # longest wait for one event
readonly READY_TIMEOUT_S=300  # longest wait for a service to be running / healthy
readonly GONE_TIMEOUT_S=120   # longest wait for deleted containers to disappear
readonly HC_FAST='{"type":"http","endpoint":"http://localhost:8080/health","interval":"1s","timeout":"1s","retries":3}'
readonly HC_SEED='{"type":"http","endpoint":"http://localhost:8080/health","interval":"10s","timeout":"2s","retries":3}'

die() { printf 'health.sh: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
# iso_of MS: the instant as ISO-8601 UTC with milliseconds (what GET /api/events takes).
iso_of() { date -u -d "@$(( $1 / 1000 )).$(printf '%03d' $(( $1 % 1000 )))" +%Y-%m-%dT%H:%M:%S.%3NZ; }
ms_of() { date -d "$1" +%s%3N; }

[[ -x $image_dir/bin/orchestrator ]] || die "no $image_dir/bin/orchestrator: build it (mvn -B -DskipTests package)"
for tool in curl docker date awk grep sed getconf pgrep; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE missing: run scripts/test-images.sh"
for n in "$KILLS" "$HC_REPLICAS" "$SEED_REPLICAS" "$CPU_REPLICAS" "$CPU_WINDOW_S"; do
  [[ $n =~ ^[1-9][0-9]{0,3}$ ]] || die "counts and durations must be positive integers, got '$n'"
done
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
  mapfile -t pids < <(pgrep -f 'dev\.orchestrator\.cli\.Main server' || true)
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

# deploy NAME REPLICAS HEALTH_JSON_OR_EMPTY [MEMORY_MB]
deploy() {
  local body="{\"name\":\"$1\",\"image\":\"$IMAGE\",\"replicas\":$2" code
  [[ -n $3 ]] && body+=",\"health_check\":$3"
  (( $# > 3 )) && body+=",\"resources\":{\"memory_mb\":$4}"
  body+='}'
  services+=("$1")
  code=$(api_code POST /api/deploy "$body")
  [[ $code == 201 ]] || die "deploy of $1 answered $code: $(cat "$work/out")"
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

# replica SERVICE_JSON NAME: prints "ID STATUS HEALTH" of that replica, or nothing.
replica() {
  local re="\\{\"id\":\"([^\"]*)\",\"name\":\"$2\",\"status\":\"([^\"]*)\",\"health\":\"([^\"]*)\""
  [[ $1 =~ $re ]] && echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
  return 0
}

# await_ready NAME N FIELD: until the service shows N replicas with FIELD (running|healthy)
# and every container is running (and healthy, for FIELD=healthy). Prints the seconds it took.
await_ready() {
  local start body n=-1 deadline bad
  start=$(now_ms)
  deadline=$(( start + READY_TIMEOUT_S * 1000 ))
  while :; do
    body=$(api_get "/api/services/$1")
    n=-1
    [[ $body =~ \"$3\":([0-9]+) ]] && n=${BASH_REMATCH[1]}
    if [[ $3 == healthy ]]; then
      bad=$(grep -o '"status":"[a-z]*","health":"[a-z]*"' <<<"$body" \
            | grep -vc '"status":"running","health":"healthy"') || true
    else
      bad=$(grep -o '"status":"[a-z]*","health"' <<<"$body" | grep -vc '"running"') || true
    fi
    (( n == $2 && bad == 0 )) && break
    (( $(now_ms) < deadline )) || die "$1: $n/$2 $3 after ${READY_TIMEOUT_S} s"
    sleep 0.2
  done
  awk -v ms=$(( $(now_ms) - start )) 'BEGIN {printf "%.1f", ms / 1000}'
}

# container_of SERVICE INDEX: the running Docker container of that replica (exactly one).
container_of() {
  local ids=()
  mapfile -t ids < <(docker ps -q --filter "label=dev.orchestrator.service=$1" \
      --filter "label=dev.orchestrator.replica=$2" --filter "label=dev.orchestrator.node=$NODE" \
      --filter "label=dev.orchestrator.cluster=$cluster" --filter status=running)
  (( ${#ids[@]} == 1 )) || die "$1-$2: ${#ids[@]} running containers, expected 1"
  echo "${ids[0]}"
}

# event_ms SERVICE REPLICA MESSAGE_REGEX T0: waits for the first event of REPLICA at or after
# T0 whose message matches; prints its timestamp in epoch ms.
event_ms() {
  local body deadline since re now
  since=$(iso_of "$4")
  re="\"timestamp\":\"([^\"]*)\",\"type\":\"[^\"]*\",\"service\":\"$1\",\"container\":\"$2\",\"message\":\"$3"
  deadline=$(( $4 + EVENT_TIMEOUT_S * 1000 ))
  while :; do
    body=$(api_get "/api/events?service=$1&since=$since&limit=10000")
    if [[ $body =~ $re ]]; then ms_of "${BASH_REMATCH[1]}"; return; fi
    now=$(now_ms)
    (( now < deadline )) || die "no event '$3' for $2 within ${EVENT_TIMEOUT_S} s"
    # The timestamps are the server's: the poll rate changes only our own load, not the figure.
    if (( now - $4 < 1500 )); then sleep 0.05; else sleep 0.2; fi
  done
}

# await_new SERVICE REPLICA OLD_ID WANT: until the replica has an id other than OLD_ID and
# WANT ("running" status, or "healthy" health); prints the epoch ms when seen.
await_new() {
  local id st h deadline
  deadline=$(( $(now_ms) + EVENT_TIMEOUT_S * 1000 ))
  while :; do
    read -r id st h < <(replica "$(api_get "/api/services/$1")" "$2"; echo) || true
    if [[ -n $id && ${3:0:12} != "${id:0:12}" ]]; then
      [[ $4 == running && $st == running ]] && break
      [[ $4 == healthy && $st == running && $h == healthy ]] && break
    fi
    (( $(now_ms) < deadline )) || die "$2: no new $4 container within ${EVENT_TIMEOUT_S} s (last: $id $st $h)"
    sleep 0.05
  done
  now_ms
}

# --- statistics --------------------------------------------------------------------------------
# stats VALUES...: "median p95 max" (nearest-rank p95), in the values' unit.
stats() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {
    m = (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)
    r = int(0.95 * NR); if (r < 0.95 * NR) r++
    printf "%d %d %d\n", m, a[r], a[NR]}'
}
verdict() { (( $1 <= $2 )) && echo met || echo "NOT met"; }

# --- run ---------------------------------------------------------------------------------------
echo "health bench: image dir $image_dir, $(nproc) cpus, $(uname -r), docker $(docker version -f '{{.Server.Version}}')"
wait_quiet
start_server
echo "server $api (pid $server_pid, node $NODE), $(date -u +%Y-%m-%dT%H:%M:%SZ)"

# (a) crash -> restart issued --------------------------------------------------------------------
svc=bench-hkill
deploy "$svc" "$KILLS" ""
took=$(await_ready "$svc" "$KILLS" running)
echo "(a) $svc: $KILLS replicas running after $took s"
cluster=$(docker inspect -f '{{index .Config.Labels "dev.orchestrator.cluster"}}' \
    "$(docker ps -q --filter "label=dev.orchestrator.service=$svc" --filter "label=dev.orchestrator.node=$NODE" | head -n 1)")
[[ -n $cluster ]] || die "cannot read the cluster label of $svc's containers"
sleep 2
a_exited=() a_issued=() a_running=()
machine_mark
for i in $(seq 0 $(( KILLS - 1 ))); do
  c=$(container_of "$svc" "$i")
  t0=$(now_ms)
  docker kill "$c" >/dev/null
  issued=$(event_ms "$svc" "$svc-$i" "Restarting $svc-$i\\.\\.\\.\"" "$t0")
  # Reported when Docker's die event reaches the server, before the reconcile pass.
  exited=$(event_ms "$svc" "$svc-$i" "Container $svc-$i exited with code" "$t0")
  running=$(await_new "$svc" "$svc-$i" "$c" running)
  a_exited+=("$(( exited - t0 ))") a_issued+=("$(( issued - t0 ))") a_running+=("$(( running - t0 ))")
  printf '(a) kill %2d: replica %s-%-2d  "exited" event %4d ms  restart issued %4d ms  replacement running %5d ms\n' \
    "$(( i + 1 ))" "$svc" "$i" "$(( exited - t0 ))" "$(( issued - t0 ))" "$(( running - t0 ))"
  sleep 2
done
echo "(a) whole machine busy $(machine_busy) % (all cores) during the kills; load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
read -r a_e_med a_e_p95 a_e_max < <(stats "${a_exited[@]}")
read -r a_i_med a_i_p95 a_i_max < <(stats "${a_issued[@]}")
read -r a_r_med a_r_p95 a_r_max < <(stats "${a_running[@]}")
remove_service "$svc"

# (b), (c) unhealthy -> restart issued ------------------------------------------------------------
# health_rounds SERVICE REPLICAS TAG INTERVAL_MS: sets h_failed, h_issued, h_healthy (ms after
# t0, per replica). Each removal comes a random 0..INTERVAL after all are healthy, so that it
# falls at a random point of the probe cycle (the replicas' probes run in step: without it,
# every removal would come at the same point, just after the previous replacement's probe).
health_rounds() {
  local svc=$1 n=$2 tag=$3 interval_ms=$4 i c t0 failed issued healthy took delay
  h_failed=() h_issued=() h_healthy=()
  machine_mark
  for i in $(seq 0 $(( n - 1 ))); do
    took=$(await_ready "$svc" "$n" healthy)
    delay=$(( (RANDOM * 32768 + RANDOM) % interval_ms ))
    sleep "$(( delay / 1000 )).$(printf '%03d' $(( delay % 1000 )))"
    c=$(container_of "$svc" "$i")
    t0=$(now_ms)
    docker exec "$c" rm /www/health
    failed=$(event_ms "$svc" "$svc-$i" "Container $svc-$i failed health check" "$t0")
    issued=$(event_ms "$svc" "$svc-$i" "Restarting $svc-$i\\.\\.\\.\"" "$t0")
    healthy=$(await_new "$svc" "$svc-$i" "$c" healthy)
    h_failed+=("$(( failed - t0 ))") h_issued+=("$(( issued - t0 ))") h_healthy+=("$(( healthy - t0 ))")
    printf '%s replica %s-%d (all healthy %s s, then %d ms): failed health check %5d ms  restart issued %5d ms  replacement healthy %5d ms\n' \
      "$tag" "$svc" "$i" "$took" "$delay" "$(( failed - t0 ))" "$(( issued - t0 ))" "$(( healthy - t0 ))"
  done
  echo "$tag whole machine busy $(machine_busy) % (all cores) meanwhile; load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
}

wait_quiet
svc=bench-hhc
deploy "$svc" "$HC_REPLICAS" "$HC_FAST"
took=$(await_ready "$svc" "$HC_REPLICAS" healthy)
echo "(b) $svc: $HC_REPLICAS replicas healthy after $took s (interval 1s, timeout 1s, retries 3)"
health_rounds "$svc" "$HC_REPLICAS" "(b)" 1000
read -r b_f_med b_f_p95 b_f_max < <(stats "${h_failed[@]}")
read -r b_i_med b_i_p95 b_i_max < <(stats "${h_issued[@]}")
read -r b_h_med b_h_p95 b_h_max < <(stats "${h_healthy[@]}")
remove_service "$svc"

wait_quiet
svc=bench-hseed
deploy "$svc" "$SEED_REPLICAS" "$HC_SEED"
took=$(await_ready "$svc" "$SEED_REPLICAS" healthy)
echo "(c) $svc: $SEED_REPLICAS replicas healthy after $took s (interval 10s, timeout 2s, retries 3)"
health_rounds "$svc" "$SEED_REPLICAS" "(c)" 10000
read -r c_f_med c_f_p95 c_f_max < <(stats "${h_failed[@]}")
read -r c_i_med c_i_p95 c_i_max < <(stats "${h_issued[@]}")
read -r c_h_med c_h_p95 c_h_max < <(stats "${h_healthy[@]}")
c_i_min=$(printf '%s\n' "${h_issued[@]}" | sort -n | head -n 1)
remove_service "$svc"

# (d) probe overhead ------------------------------------------------------------------------------
# cpu_window TAG PROBED: samples the server's CPU over CPU_WINDOW_S in 10 s steps; sets cpu_pct, rss_kb,
# host_pct (the whole machine's busy share over the window, all cores).
cpu_window() {
  local tag=$1 steps s t0 t1 w0 w1 m0 m1 tot idle tot0 idle0 pct
  steps=$(( (CPU_WINDOW_S + 9) / 10 ))
  w0=$(cpu_ticks "$server_pid") m0=$(now_ms)
  read -r tot0 idle0 < <(machine_ticks)
  t0=$w0
  for s in $(seq 1 "$steps"); do
    sleep 10
    t1=$(cpu_ticks "$server_pid")
    pct=$(awk -v d=$(( t1 - t0 )) -v hz="$clk_tck" 'BEGIN {printf "%.1f", d / hz / 10 * 100}')
    printf '%s   %3d s: server CPU %5s %% of a core over the last 10 s\n' "$tag" $(( s * 10 )) "$pct"
    t0=$t1
  done
  w1=$t0 m1=$(now_ms)
  read -r tot idle < <(machine_ticks)
  cpu_pct=$(awk -v d=$(( w1 - w0 )) -v hz="$clk_tck" -v ms=$(( m1 - m0 )) 'BEGIN {printf "%.1f", d / hz / (ms / 1000) * 100}')
  host_pct=$(awk -v t=$(( tot - tot0 )) -v i=$(( idle - idle0 )) 'BEGIN {printf "%.0f", (t - i) / t * 100}')
  rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status")
  printf '%s average server CPU %s %% of one core over %d s; VmRSS %d MiB; whole machine busy %s %% (of all cores); %s containers probed\n' \
    "$tag" "$cpu_pct" $(( (m1 - m0) / 1000 )) $(( rss_kb / 1024 )) "$host_pct" "$2"
}

wait_quiet
svc=bench-hcpu
deploy "$svc" "$CPU_REPLICAS" "" 16
took=$(await_ready "$svc" "$CPU_REPLICAS" running)
echo "(d) $svc: $CPU_REPLICAS replicas running (no health check) after $took s; settling ${SETTLE_S} s"
sleep "$SETTLE_S"
cpu_window "(d) no check " 0
d0_cpu=$cpu_pct d0_rss=$rss_kb d0_host=$host_pct
remove_service "$svc"

svc=bench-hcpu2
deploy "$svc" "$CPU_REPLICAS" "$HC_FAST" 16
took=$(await_ready "$svc" "$CPU_REPLICAS" healthy)
echo "(d) $svc: $CPU_REPLICAS replicas healthy (http check every 1 s) after $took s; settling ${SETTLE_S} s"
sleep "$SETTLE_S"
cpu_window "(d) http 1s  " "$CPU_REPLICAS"
d1_cpu=$cpu_pct d1_rss=$rss_kb d1_host=$host_pct
remove_service "$svc"

# The server's whole event log, for a closer look (EVENTS_LOG=FILE).
if [[ -n ${EVENTS_LOG:-} ]]; then
  api_get "/api/events?limit=10000" >"$EVENTS_LOG"
fi

# --- summary ---------------------------------------------------------------------------------------
echo
echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
row() { printf '%-46s %7s %7s %7s   %s\n' "$@"; }
row "summary (ms)" median p95 max goal
row "(a) crash -> \"Restarting\" event (n=${#a_issued[@]})" "$a_i_med" "$a_i_p95" "$a_i_max" \
  "p95 <= 1000: $(verdict "$a_i_p95" 1000)"
row "(a) crash -> \"exited\" event (die seen)" "$a_e_med" "$a_e_p95" "$a_e_max" ""
row "(a) crash -> replacement running" "$a_r_med" "$a_r_p95" "$a_r_max" ""
row "(b) rm health -> \"failed health check\" (n=$HC_REPLICAS)" "$b_f_med" "$b_f_p95" "$b_f_max" ""
row "(b) rm health -> \"Restarting\" event" "$b_i_med" "$b_i_p95" "$b_i_max" \
  "max <= 4000 (1s x 3 + 1s): $(verdict "$b_i_max" 4000)"
row "(b) rm health -> replacement healthy" "$b_h_med" "$b_h_p95" "$b_h_max" ""
row "(c) rm health -> \"failed health check\" (n=$SEED_REPLICAS)" "$c_f_med" "$c_f_p95" "$c_f_max" ""
row "(c) rm health -> \"Restarting\" event" "$c_i_med" "$c_i_p95" "$c_i_max" \
  "seed's 10 s: $(verdict "$c_i_max" 10000) (min $c_i_min; 10s x 3 retries needs 20-30 s)"
row "(c) rm health -> replacement healthy" "$c_h_med" "$c_h_p95" "$c_h_max" ""
printf '(d) server CPU, %d replicas, no health check:  %s %% of one core, VmRSS %d MiB (machine busy %s %%)\n' \
  "$CPU_REPLICAS" "$d0_cpu" $(( d0_rss / 1024 )) "$d0_host"
printf '(d) server CPU, %d replicas, http check 1 s:   %s %% of one core, VmRSS %d MiB (machine busy %s %%)\n' \
  "$CPU_REPLICAS" "$d1_cpu" $(( d1_rss / 1024 )) "$d1_host"
