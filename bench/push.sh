#!/usr/bin/env bash
# Push benchmark: time from `POST /api/deploy` to the `docker create` it causes on a remote
# agent, over N sequential one-replica deploys, for one or more builds of the image side by side.
#   bench/push.sh [N] IMAGE_DIR [IMAGE_DIR...]    (default: N=60, the built image)
#   PUSH_WARMUP=W (default 20): W deploys first, timed the same way but reported apart: the
#   processes are fresh, so the first deploys also measure the JIT warming up (docker-java's
#   list of containers takes ~6 ms cold and ~1 ms warm on this machine, measured in a loop).
#
# For each image: a server (--no-local-node, 127.0.0.1, ephemeral port, temp data dir) and one
# agent joined with a token (node name unique to the run). `docker events` (create events of
# containers labelled with that node) runs in the background. Then N times: t0 = just before
# curl POSTs a deploy of a new one-replica service (busybox, sleep), then wait (a blocking read of
# the events through a FIFO, so waiting costs no CPU; 10 s limit) for that service's create event; its TimeNano - t0 is the latency (same clock). 200 ms
# pause between deploys. Prints p50, p90, p99 and max per image, and the ratio of the p50s
# against the first image. The floor, measured in the same run: N creates sent straight to the
# Docker API (curl on its socket, same image and command) to their create events: what Docker
# itself takes from a create request to its event, which any orchestrator pays too. Only containers labelled with this run's node names are removed.
# With socat installed (PUSH_PROXY=0 turns it off), the agent reaches Docker through a logging
# socat relay on a socket of its own (`socat -v`, nanosecond timestamps), and the script also
# reports when each create request was issued: the time the relay received the request's first
# bytes (POST .../containers/create?name=SERVICE-0.…) minus t0. The relay is in the path of
# every Docker call the agent makes, so it adds its own copying and logging to both figures.
# Needs bash, curl, docker, GNU date, awk, sort, sed; socat for the "issued" figure.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
n=60
warmup=${PUSH_WARMUP:-20}
[[ $warmup =~ ^[0-9]+$ ]] || { printf 'push.sh: PUSH_WARMUP must be a number\n' >&2; exit 1; }
if [[ ${1:-} =~ ^[0-9]+$ ]]; then n=$1; shift; fi
images=("$@")
(( ${#images[@]} > 0 )) || images=("$here/../distribution/target/orchestrator")
readonly IMAGE=orchestrator-test/busybox:1
proxy=${PUSH_PROXY:-1}
[[ $proxy == 1 ]] && ! command -v socat >/dev/null && proxy=0

die() { printf 'push.sh: %s\n' "$*" >&2; exit 1; }
now_ns() { date +%s%N; }
(( n >= 1 && n <= 1000 )) || die "N must be 1..1000"
for d in "${images[@]}"; do
  [[ -x $d/bin/orchestrator ]] || die "no $d/bin/orchestrator"
done
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE missing: run scripts/test-images.sh"

run_id=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
work=$(mktemp -d)
pids=()
nodes=()

cleanup() {
  local rc=$? p node
  set +e
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do stop_server "$p"; done
  for node in "${nodes[@]}"; do
    docker ps -aq --filter "label=dev.orchestrator.node=$node" | xargs -r -n 10 docker rm -f >/dev/null
  done
  (( rc == 0 )) || tail -n 20 "$work"/*.log >&2
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# next_event KEY: the TimeNano of the next create event for KEY on fd 3 (the `docker events`
# stream of this measurement), waiting at most 10 s; a blocking read, so waiting costs no CPU.
next_event() {
  local ts key
  while read -r -t 10 ts key <&3; do
    if [[ $key == "$1" ]]; then
      echo "$ts"
      return 0
    fi
  done
  return 1
}

percentile() { # P < sorted values
  awk -v p="$1" '{a[NR]=$1} END {i=int((p/100)*NR+0.999999); if (i<1) i=1; if (i>NR) i=NR; print a[i]}'
}

# measure INDEX IMAGE_DIR: writes "p50 p90 p99 max" (microseconds) to $work/INDEX/result
measure() {
  local k=$1 dir=$2 node="push-$run_id-$k" w="$work/$k" password token api port code i name t0 deadline ev
  mkdir -p "$w"
  nodes+=("$node")
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  ( umask 077; printf 'user = "admin:%s"\n' "$password" >"$w/curlrc" )
  ORCHESTRATOR_ADMIN_PASSWORD=$password "$dir/bin/orchestrator" server --bind 127.0.0.1 --port 0 \
      --data-dir "$w/data" --plugins-dir "$w/plugins" --no-local-node >"$work/server-$k.log" 2>&1 &
  pids+=($!)
  port=
  for _ in $(seq 1 600); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/server-$k.log" | head -n 1)
    [[ -n $port ]] && break
    sleep 0.05
  done
  [[ -n $port ]] || die "server $k did not start"
  api="http://127.0.0.1:$port"
  token=$(curl -s -K "$w/curlrc" -X POST "$api/api/tokens" | sed -n 's|.*"token":"\([^"]*\)".*|\1|p')
  [[ -n $token ]] || die "no join token from server $k"
  local engine=${DOCKER_HOST:-unix:///var/run/docker.sock}
  if [[ $proxy == 1 ]]; then
    # One logging relay per connection, each with its own log: the children of one `socat -v`
    # share its stderr and their blocks interleave byte by byte.
    printf '#!/bin/sh\nexec socat -v - "UNIX-CONNECT:%s" 2>"%s/relay.$$.log"\n' "${engine#unix://}" "$w" >"$w/relay.sh"
    chmod +x "$w/relay.sh"
    socat "UNIX-LISTEN:$w/docker.sock,fork,mode=600" "EXEC:$w/relay.sh" &
    pids+=($!)
    for _ in $(seq 1 100); do [[ -S $w/docker.sock ]] && break; sleep 0.02; done
    engine="unix://$w/docker.sock"
  fi
  DOCKER_HOST=$engine "$dir/bin/orchestrator" agent --server "$api" --token "$token" --name "$node" --advertise-address 127.0.0.1 \
      --port 0 --data-dir "$w/agent" --plugins-dir "$w/plugins" >"$work/agent-$k.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do
    curl -s -K "$w/curlrc" "$api/api/nodes" | grep -q "\"id\":\"$node\".*\"status\":\"ready\"" && break
    sleep 0.05
  done
  mkfifo "$w/events"
  docker events --filter type=container --filter event=create --filter "label=dev.orchestrator.node=$node" \
      --format '{{.TimeNano}} {{index .Actor.Attributes "dev.orchestrator.service"}}' >"$w/events" &
  pids+=($!)
  exec 3<"$w/events"
  sleep 1
  : >"$w/lat"
  : >"$w/cold"
  for i in $(seq 1 $(( warmup + n ))); do
    name="p$k-$i"
    t0=$(now_ns)
    code=$(curl -s -o "$w/out" -w '%{http_code}' -K "$w/curlrc" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$name\",\"image\":\"$IMAGE\",\"command\":[\"sleep\",\"3600\"],\"replicas\":1}" \
        "$api/api/deploy")
    [[ $code == 201 ]] || die "deploy $name answered $code: $(cat "$w/out")"
    ev=$(next_event "$name") || die "no create event for $name within 10 s"
    (( i > warmup )) && echo "$name $t0" >>"$w/t0s"
    if (( i > warmup )); then
      echo $(( (ev - t0) / 1000 )) >>"$w/lat"   # microseconds
    else
      echo $(( (ev - t0) / 1000 )) >>"$w/cold"
    fi
    sleep 0.2
  done
  exec 3<&-
  sort -n "$w/lat" >"$w/sorted"
  if (( warmup > 0 )); then
    sort -n "$w/cold" >"$w/cold.sorted"
    echo "$(percentile 50 <"$w/cold.sorted") $(tail -n 1 "$w/cold.sorted")" >"$w/cold.result"
  fi
  echo "$(percentile 50 <"$w/sorted") $(percentile 90 <"$w/sorted") $(percentile 99 <"$w/sorted") $(tail -n 1 "$w/sorted")" \
      >"$w/result"
  [[ $proxy == 1 ]] && issued "$w"
  # This build's processes go before the next one is measured.
  local p
  for p in "${pids[@]}"; do stop_server "$p"; done
  pids=()
  docker ps -aq --filter "label=dev.orchestrator.node=$node" | xargs -r -n 10 docker rm -f >/dev/null
}

# issued DIR: from the relay's log, each measured service's create request time - its t0, into
# DIR/issued.result as "p50 p90 p99 max" (microseconds)
issued() {
  local w=$1 name stamp t0 ns frac
  # A relay writes each block as a header line ("> 2026/12/02 08:03:41.000393275 length=…", the
  # fraction being microseconds) then its data: a create's time is that of the header before it.
  awk 'FNR == 1 {ts = ""} /^> [0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] / {ts = $2 " " $3}
       /^POST (\/v[0-9.]+)?\/containers\/create\?name=/ && ts != "" {
         l = $0; sub(/.*\/containers\/create\?name=/, "", l); sub(/-0\..*/, "", l); print l, ts }' \
      "$w"/relay.*.log >"$w/creates"
  : >"$w/issued"
  while read -r name t0; do
    stamp=$(awk -v s="$name" '$1 == s {print $2, $3; exit}' "$w/creates")
    [[ -n $stamp ]] || die "the relay saw no create for $name"
    ns=$(date -d "${stamp%%.*}" +%s)
    frac=${stamp##*.}
    ns=$(( ns * 1000000000 + 10#$frac * 1000 ))
    echo $(( (ns - t0) / 1000 )) >>"$w/issued"
  done <"$w/t0s"
  sort -n "$w/issued" >"$w/issued.sorted"
  echo "$(percentile 50 <"$w/issued.sorted") $(percentile 90 <"$w/issued.sorted") $(percentile 99 <"$w/issued.sorted") $(tail -n 1 "$w/issued.sorted")" \
      >"$w/issued.result"
}

# floor: Docker's own create request -> create event, N times
floor() {
  local w="$work/floor" i t0 ev deadline sock=${DOCKER_HOST:-unix:///var/run/docker.sock}
  sock=${sock#unix://}
  mkdir -p "$w"
  nodes+=("floor-$run_id") # the label the cleanup removes by: dev.orchestrator.node=floor-RUN
  mkfifo "$w/events"
  docker events --filter type=container --filter event=create --filter "label=dev.orchestrator.node=floor-$run_id" \
      --format '{{.TimeNano}} {{index .Actor.Attributes "push.bench.i"}}' >"$w/events" &
  pids+=($!)
  exec 3<"$w/events"
  sleep 1
  : >"$w/lat"
  for i in $(seq 1 "$n"); do
    t0=$(now_ns)
    curl -s -o /dev/null --unix-socket "$sock" -H 'Content-Type: application/json' \
        -d "{\"Image\":\"$IMAGE\",\"Cmd\":[\"sleep\",\"3600\"],\"Labels\":{\"dev.orchestrator.node\":\"floor-$run_id\",\"push.bench.i\":\"$i\"}}" \
        http://localhost/v1.41/containers/create
    ev=$(next_event "$i") || die "no create event for floor container $i within 10 s"
    echo $(( (ev - t0) / 1000 )) >>"$w/lat"
    sleep 0.2
  done
  exec 3<&-
  sort -n "$w/lat" >"$w/sorted"
  printf 'floor (docker API create -> create event): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms\n' \
    "$(awk -v v="$(percentile 50 <"$w/sorted")" 'BEGIN{print v/1000}')" \
    "$(awk -v v="$(percentile 90 <"$w/sorted")" 'BEGIN{print v/1000}')" \
    "$(awk -v v="$(percentile 99 <"$w/sorted")" 'BEGIN{print v/1000}')"
  docker ps -aq --filter "label=dev.orchestrator.node=floor-$run_id" | xargs -r -n 10 docker rm -f >/dev/null
}

echo "push bench: N=$n deploys per image after $warmup warm-up deploys, $(nproc) cpus, docker $(docker version -f '{{.Server.Version}}'), load $(cut -d ' ' -f 1-3 /proc/loadavg)"
first=
for k in "${!images[@]}"; do
  measure "$k" "${images[$k]}"
  read -r p50 p90 p99 max <"$work/$k/result"
  [[ -n $first ]] || first=$p50
  printf 'image %s (%s): deploy -> docker create on the agent: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; p50 ratio to the first %.3f\n' \
    "$k" "${images[$k]}" "$(awk -v v="$p50" 'BEGIN{print v/1000}')" "$(awk -v v="$p90" 'BEGIN{print v/1000}')" \
    "$(awk -v v="$p99" 'BEGIN{print v/1000}')" "$(awk -v v="$max" 'BEGIN{print v/1000}')" \
    "$(awk -v a="$p50" -v b="$first" 'BEGIN{print a/b}')"
  if [[ -f $work/$k/issued.result ]]; then
    read -r i50 i90 i99 imax <"$work/$k/issued.result"
    printf '  deploy -> create request issued (at the relay): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n' \
      "$(awk -v v="$i50" 'BEGIN{print v/1000}')" "$(awk -v v="$i90" 'BEGIN{print v/1000}')" \
      "$(awk -v v="$i99" 'BEGIN{print v/1000}')" "$(awk -v v="$imax" 'BEGIN{print v/1000}')"
  fi
  if [[ -f $work/$k/cold.result ]]; then
    read -r c50 cmax <"$work/$k/cold.result"
    printf '  (the %d warm-up deploys before them, on the fresh processes: p50 %.1f ms, max %.1f ms)\n' "$warmup" \
      "$(awk -v v="$c50" 'BEGIN{print v/1000}')" "$(awk -v v="$cmax" 'BEGIN{print v/1000}')"
  fi
done
floor
echo "load at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
