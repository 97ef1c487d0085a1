#!/usr/bin/env bash
# Load balancer benchmark: wrk straight to one backend, through our load balancer (the tcp
# transport with the round-robin policy) and through HAProxy (mode tcp, balance roundrobin),
# over the same 3 keep-alive HTTP backends on loopback, alternating in rounds.
#   bench/lb.sh [ROUNDS] [SECONDS]        (default: 5 rounds of 10 s per target)
#   LB_BENCH_PORT=P (default 18080): ports P+1..P+3 are the backends, P+10 ours, P+11 HAProxy's.
#   LB_WRK="-t2 -c32" (default): wrk's threads and connections.
#   LB_BEFORE=CP: also measure another build of the tcp plugin (its classes or jar), as target
#   "before" on port P+12, in the same rounds: before/after of a transport change side by side.
#   LB_JAVA_OPTS, LB_SETTINGS: JVM options and tcp plugin settings (k=v,k=v) of the harnesses.
#
# The backends are one HAProxy process in mode http answering every request with a fixed 200
# (http-request return), keep-alive: about the fastest HTTP/1.1 server there is, so the numbers
# measure the proxies rather than the backend (busybox httpd, measured before, closes every
# connection and costs a fork per request). Ours runs as bench/lb/LbHarness.java: the plugin
# created through its factories as the kernel does, nothing else of the server. A warm-up of
# SECONDS per proxy first (the JIT), not counted. Each round runs direct, ours, HAProxy in
# turn, so drift on this shared machine hits all three alike; medians over the rounds.
# Needs: haproxy, wrk, curl, a JDK 25 ($JAVA_HOME, default temurin-25), the built jars (mvn -o -q package -pl plugins/lb-tcp,plugins/lb-policy -am).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=${1:-5}
secs=${2:-10}
base=${LB_BENCH_PORT:-18080}
read -r -a wrk_opts <<< "${LB_WRK:--t2 -c32}"
die() { printf 'lb.sh: %s\n' "$*" >&2; exit 1; }
[[ $rounds =~ ^[0-9]+$ && $secs =~ ^[0-9]+$ ]] || die "ROUNDS and SECONDS must be numbers"
command -v haproxy >/dev/null || die "haproxy missing (apt-get install haproxy)"
command -v wrk >/dev/null || die "wrk missing (apt-get install wrk)"
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[[ -x $java ]] || die "no $java: set JAVA_HOME to a JDK 25"
cp=$root/modules/api/target/orchestrator-api-0.1.0-SNAPSHOT.jar
cp+=:$root/plugins/lb-tcp/target/orchestrator-lb-tcp-0.1.0-SNAPSHOT.jar
cp+=:$root/plugins/lb-policy/target/orchestrator-lb-policy-0.1.0-SNAPSHOT.jar
for j in ${cp//:/ }; do [[ -f $j ]] || die "no $j: build first"; done

b1=$((base + 1)) b2=$((base + 2)) b3=$((base + 3)) ours=$((base + 10)) theirs=$((base + 11)) before=$((base + 12))
for p in $b1 $b2 $b3 $ours $theirs $before; do
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && die "port $p is in use"
done
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do stop_server "$p"; done
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/backends.cfg" <<CFG
global
  nbthread 1
defaults
  mode http
  timeout client 30s
  timeout server 30s
  timeout connect 2s
frontend b1
  bind 127.0.0.1:$b1
  http-request return status 200 content-type text/plain string ok
frontend b2
  bind 127.0.0.1:$b2
  http-request return status 200 content-type text/plain string ok
frontend b3
  bind 127.0.0.1:$b3
  http-request return status 200 content-type text/plain string ok
CFG
cat > "$work/haproxy.cfg" <<CFG
global
  nbthread 2
defaults
  mode tcp
  timeout client 30s
  timeout server 30s
  timeout connect 2s
frontend lb
  bind 127.0.0.1:$theirs
  default_backend replicas
backend replicas
  balance roundrobin
  server b1 127.0.0.1:$b1
  server b2 127.0.0.1:$b2
  server b3 127.0.0.1:$b3
CFG
haproxy -db -f "$work/backends.cfg" > "$work/backends.log" 2>&1 & pids+=($!)
haproxy -db -f "$work/haproxy.cfg" > "$work/haproxy.log" 2>&1 & pids+=($!)
"$java" ${LB_JAVA_OPTS:-} -cp "$cp" "$here/lb/LbHarness.java" round-robin "$ours" "$b1" "$b2" "$b3" > "$work/ours.log" 2>&1 & pids+=($!)
targets=(direct:$b1 ours:$ours haproxy:$theirs)
if [[ -n ${LB_BEFORE:-} ]]; then
  before_cp=${cp%%:*}:$LB_BEFORE:${cp##*:}  # api, the other tcp build, lb-policy
  "$java" ${LB_JAVA_OPTS:-} -cp "$before_cp" "$here/lb/LbHarness.java" round-robin "$before" "$b1" "$b2" "$b3" \
    > "$work/before.log" 2>&1 & pids+=($!)
  targets+=(before:$before)
fi
for log in "$work"/ours.log ${LB_BEFORE:+"$work/before.log"}; do
  for _ in $(seq 1 150); do grep -q ready "$log" && break; sleep 0.1; done
  grep -q ready "$log" || { cat "$log" >&2; die "a load balancer harness did not start"; }
done
curl -fsS "http://127.0.0.1:$ours/" >/dev/null || die "no answer through ours"
curl -fsS "http://127.0.0.1:$theirs/" >/dev/null || die "no answer through HAProxy"

# Prints "req/s p50_ms p99_ms" of one wrk run.
measure() {
  wrk "${wrk_opts[@]}" -d"${secs}s" --latency "http://127.0.0.1:$1/" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    / errors: / { err = $0 }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99; if (err != "") print err > "/dev/stderr" }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "warm-up: ${secs}s through each proxy" >&2
for t in "${targets[@]:1}"; do measure "${t#*:}" >/dev/null; done
for r in $(seq 1 "$rounds"); do
  for t in "${targets[@]}"; do
    line=$(measure "${t#*:}")
    echo "${t%%:*} $line" >> "$work/results"
    printf 'round %d %-8s %s\n' "$r" "${t%%:*}" "$line" >&2
  done
done

col() { awk -v t="$1" -v c="$2" '$1 == t { print $c }' "$work/results" | median; }
printf '\n%s, %d rounds of %ss, wrk %s, medians\n' "$(date -u +%F)" "$rounds" "$secs" "${wrk_opts[*]}"
printf '%-10s %10s %10s %10s\n' target req/s p50_ms p99_ms
for t in "${targets[@]%%:*}"; do
  printf '%-10s %10s %10s %10s\n' "$t" "$(col "$t" 2)" "$(col "$t" 3)" "$(col "$t" 4)"
done
awk -v o="$(col ours 2)" -v h="$(col haproxy 2)" -v d="$(col direct 2)" \
    -v op="$(col ours 3)" -v hp="$(col haproxy 3)" -v dp="$(col direct 3)" 'BEGIN {
  printf "ours/haproxy throughput %.2f, ours/direct %.2f, haproxy/direct %.2f\n", o / h, o / d, h / d
  printf "added p50 vs direct: ours %.3f ms, haproxy %.3f ms\n", op - dp, hp - dp }'
if [[ -n ${LB_BEFORE:-} ]]; then
  awk -v o="$(col ours 2)" -v b="$(col before 2)" -v h="$(col haproxy 2)" -v bp="$(col before 3)" \
      -v dp="$(col direct 3)" 'BEGIN { printf "before/haproxy throughput %.2f, ours/before %.2f, before added p50 %.3f ms\n", b / h, o / b, bp - dp }'
fi
# Per round, ours/haproxy: the spread says how much one median can be trusted here.
awk '$1 == "ours" { o[++n] = $2 } $1 == "haproxy" { h[++m] = $2 }
  END { printf "ours/haproxy per round:"; for (i = 1; i <= n; i++) printf " %.2f", o[i] / h[i]; print "" }' "$work/results"
