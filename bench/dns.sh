#!/usr/bin/env bash
# Service DNS benchmark: dnsperf against our `dns` service discovery and against dnsmasq serving
# the same records, side by side in one run.
#
#   bench/dns.sh [--rounds 3] [--seconds 20] [--rate 20000] [--services 20] [--replicas 3]
#                [--port 15353] [--build]
#
# Servers, both on 127.0.0.1 and both started once for the whole run:
# - ours: bench/dns (dev.orchestrator.bench.dns.DnsBenchServer), which finds the plugin through
#   the SPI, creates it with settings (port PORT, ttl 5, upstreams 127.0.0.1:9 so that nothing
#   can leave the machine), starts it and calls update() for services svc-1..svc-S, each with
#   replicas svc-S-1..svc-S-R at 10.1.S.N:8080. JVM flags: -XX:+UseSerialGC, as bin/orchestrator
#   (DNS_JAVA_OPTS replaces them).
# - dnsmasq (Debian's dnsmasq-base) on PORT+1: --no-resolv --no-hosts, an addn-hosts file with
#   the same names and addresses (<svc>.internal, tasks.<svc>.internal, <svc>-N.<svc>.internal),
#   --local=/internal/ (it never forwards; other names in the zone are NXDOMAIN) and
#   --local-ttl=5 (our TTL). Hosts-file names are answered from memory and are not subject
#   to --cache-size, just as ours answers zone names from its table without a cache.
# Before anything is timed, dig asks both servers every benchmark name and the sorted answers
# must be equal; then each server gets an untimed WARMUP_S (5) s dnsperf run (the JIT of ours).
#
# The query file asks every name once per pass (S x (2 + R) A questions, e.g. 100), which
# dnsperf loops over. Each round, in alternating order (odd rounds ours first), each server gets:
# - a throughput run: `dnsperf -l SECONDS -c 10 -q 100` (no -Q: as fast as it answers, 100
#   queries outstanding): queries/s, average latency (dnsperf's), lost queries, and the server
#   process's CPU (utime+stime from /proc/PID/stat) per query. Under saturation the latency is
#   mostly queueing (100 outstanding / rate), so it is not used for p99.
# - a latency run at a fixed load: `dnsperf -l 10 -c 10 -Q RATE -v`. dnsperf 2.10 (Debian 12)
#   has no latency histogram, so p50/p99 are computed here from the latency -v prints for every
#   response (nearest rank over the completed queries; lost ones are counted apart).
# Medians over the rounds, and the ratios ours/dnsmasq, are printed at the end. The machine's
# busy share (/proc/stat) during each run is printed too: the machine is shared.
# Only the two servers this script started are stopped. Needs bash, dnsperf, dig, dnsmasq, awk,
# sort; builds bench/dns with Maven (offline) if it is missing, or with --build.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
jar=$root/bench/dns/target/orchestrator-bench-dns-0.1.0-SNAPSHOT.jar
dnsmasq_bin=${DNSMASQ:-/usr/sbin/dnsmasq}
readonly TTL=5 CLIENTS=10 OUTSTANDING=100 LATENCY_S=10 WARMUP_S=5

die() { printf 'dns.sh: %s\n' "$*" >&2; exit 1; }

build=false rounds=3 seconds=20 rate=20000 services=20 replicas=3 port=15353
while (( $# )); do
  case $1 in
    --build) build=true; shift ;;
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --services) services=$2; shift 2 ;;
    --replicas) replicas=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) die "unknown option $1 (see the header of bench/dns.sh)" ;;
  esac
done
for n in "$rounds" "$seconds" "$rate" "$services" "$replicas" "$port"; do
  [[ $n =~ ^[1-9][0-9]{0,5}$ ]] || die "numbers must be positive integers, got '$n'"
done
(( services <= 254 && replicas <= 254 )) || die "at most 254 services and 254 replicas (addresses 10.1.S.N)"
(( port < 65535 )) || die "--port must leave PORT+1 for dnsmasq"
for tool in dnsperf dig awk sort; do command -v "$tool" >/dev/null || die "$tool not found (apt-get install dnsperf bind9-dnsutils)"; done
[[ -x $dnsmasq_bin ]] || die "no $dnsmasq_bin (apt-get install dnsmasq-base)"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
ours_port=$port
theirs_port=$(( port + 1 ))

if $build || [[ ! -f $jar || ! -f $root/bench/dns/target/classpath.txt ]]; then
  # Test sources are not compiled (-Dmaven.test.skip): the benchmark needs only the main code.
  (cd "$root" && mvn -B -o -q -Dmaven.test.skip=true package -pl bench/dns -am)
fi

work=$(mktemp -d)
ours_pid=
theirs_pid=
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  stop_server "$ours_pid"
  stop_server "$theirs_pid"
  show_log_tail "$rc" "$work/ours.log" 20
  show_log_tail "$rc" "$work/dnsmasq.log" 20
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the records, the queries ------------------------------------------------------------------
for (( s = 1; s <= services; s++ )); do
  for (( n = 1; n <= replicas; n++ )); do
    echo "10.1.$s.$n svc-$s.internal tasks.svc-$s.internal svc-$s-$n.svc-$s.internal"
  done
done >"$work/hosts"
for (( s = 1; s <= services; s++ )); do
  echo "svc-$s.internal A"
  echo "tasks.svc-$s.internal A"
  for (( n = 1; n <= replicas; n++ )); do echo "svc-$s-$n.svc-$s.internal A"; done
done >"$work/queries"
# dnsmasq reads its hosts file after it has dropped root for user nobody.
chmod 755 "$work"; chmod 644 "$work/hosts"

# --- the servers -------------------------------------------------------------------------------
# shellcheck disable=SC2086  # DNS_JAVA_OPTS is a list of flags
"$java" ${DNS_JAVA_OPTS:--XX:+UseSerialGC} -cp "$jar:$(cat "$root/bench/dns/target/classpath.txt")" \
  dev.orchestrator.bench.dns.DnsBenchServer "$ours_port" "$services" "$replicas" "$TTL" >"$work/ours.log" 2>&1 &
ours_pid=$!
"$dnsmasq_bin" --keep-in-foreground --conf-file=/dev/null --pid-file= --no-resolv --no-hosts \
  --addn-hosts="$work/hosts" --local=/internal/ --local-ttl="$TTL" \
  --listen-address=127.0.0.1 --bind-interfaces --port="$theirs_port" \
  --log-facility="$work/dnsmasq.log" >"$work/dnsmasq.out" 2>&1 &
theirs_pid=$!
for _ in $(seq 1 200); do
  grep -q '^ready:' "$work/ours.log" && grep -q 'read .*hosts' "$work/dnsmasq.log" 2>/dev/null && break
  kill -0 "$ours_pid" 2>/dev/null || die "our server exited"
  kill -0 "$theirs_pid" 2>/dev/null || die "dnsmasq exited"
  sleep 0.05
done
grep -q '^ready:' "$work/ours.log" || die "our server did not get ready"
grep -q 'read .*hosts' "$work/dnsmasq.log" || die "dnsmasq did not read its hosts file"
echo "ours: pid $ours_pid on 127.0.0.1:$ours_port; dnsmasq $("$dnsmasq_bin" --version | awk 'NR==1 {print $3}'):" \
  "pid $theirs_pid on 127.0.0.1:$theirs_port; $(dnsperf -h 2>&1 | grep -m1 Version)"

# Same answers from both: every benchmark name, its A records sorted (ours shuffles them).
answers() { # PORT NAME
  dig +short +tries=1 +time=2 @127.0.0.1 -p "$1" "$2" A | sort | tr '\n' ' '
}
while read -r name _; do
  a=$(answers "$ours_port" "$name")
  b=$(answers "$theirs_port" "$name")
  [[ -n $a && $a == "$b" ]] || die "different answers for $name: ours '$a', dnsmasq '$b'"
done <"$work/queries"
echo "same answers from both for all $(wc -l <"$work/queries") names ($services services x $replicas replicas)"

# --- measuring ---------------------------------------------------------------------------------
cpu_ticks() { # PID: utime+stime in clock ticks (fields 14 and 15; comm may hold spaces)
  sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}
machine_ticks() { awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; } # "total idle"
busy_since() { # "TOTAL IDLE" from machine_ticks: the machine's busy % since then
  local t0 i0 t1 i1
  read -r t0 i0 <<<"$1"
  read -r t1 i1 <<<"$(machine_ticks)"
  awk -v t=$(( t1 - t0 )) -v i=$(( i1 - i0 )) 'BEGIN {printf "%.0f", (t > 0 ? 100 * (t - i) / t : 0)}'
}
stat_of() { # FIELD FILE: a number from dnsperf's statistics
  awk -v f="$1" 'index($0, f) {sub(/^.*: */, ""); print $1 + 0; exit}' "$2"
}
clk_tck=$(getconf CLK_TCK)

# One throughput run; appends "qps avg_ms lost cpu_us_per_query busy%" to $work/NAME.tput.
throughput() { # NAME PORT PID
  local out=$work/run.out c0 c1 m0 qps avg lost cpu busy
  c0=$(cpu_ticks "$3"); m0=$(machine_ticks)
  dnsperf -s 127.0.0.1 -p "$2" -d "$work/queries" -l "$seconds" -c "$CLIENTS" -q "$OUTSTANDING" >"$out" 2>&1 \
    || { cat "$out" >&2; die "dnsperf failed against $1"; }
  c1=$(cpu_ticks "$3"); busy=$(busy_since "$m0")
  qps=$(stat_of 'Queries per second:' "$out")
  avg=$(awk '/Average Latency/ {printf "%.3f", $4 * 1000}' "$out")
  lost=$(stat_of 'Queries lost:' "$out")
  cpu=$(awk -v t=$(( c1 - c0 )) -v hz="$clk_tck" -v q="$qps" -v s="$seconds" \
    'BEGIN {printf "%.1f", (q > 0 ? t / hz * 1e6 / (q * s) : 0)}')
  printf '%s %s %s %s %s\n' "$qps" "$avg" "$lost" "$cpu" "$busy" >>"$work/$1.tput"
  printf '  %-8s throughput: %9.0f q/s  avg %6s ms  lost %s  server CPU %s us/query  machine busy %s%%\n' \
    "$1" "$qps" "$avg" "$lost" "$cpu" "$busy"
}

# One latency run at RATE q/s; appends "p50_ms p99_ms completed lost busy%" to $work/NAME.lat.
latency() { # NAME PORT
  local out=$work/run.out m0 p busy lost p50 p99 done_
  m0=$(machine_ticks)
  dnsperf -s 127.0.0.1 -p "$2" -d "$work/queries" -l "$LATENCY_S" -c "$CLIENTS" -q "$OUTSTANDING" -Q "$rate" -v \
    >"$out" 2>&1 || { cat "$out" >&2; die "dnsperf failed against $1"; }
  busy=$(busy_since "$m0")
  lost=$(stat_of 'Queries lost:' "$out")
  # -v: "> NOERROR name type seconds" per response; nearest rank: the ceil(q*n)-th smallest.
  p=$(awk '/^> [A-Z]+ / && $NF ~ /^[0-9.]+$/ {print $NF}' "$out" | sort -g | awk '
    {v[NR] = $1}
    END {if (NR == 0) {print "nan nan 0"; exit}
         i50 = int(0.50 * NR); if (i50 < 0.50 * NR) i50++
         i99 = int(0.99 * NR); if (i99 < 0.99 * NR) i99++
         printf "%.3f %.3f %d", v[i50] * 1000, v[i99] * 1000, NR}')
  printf '%s %s %s\n' "$p" "$lost" "$busy" >>"$work/$1.lat"
  read -r p50 p99 done_ <<<"$p"
  printf '  %-8s at %s q/s:   p50 %6s ms  p99 %6s ms  (%s responses, lost %s)  machine busy %s%%\n' \
    "$1" "$rate" "$p50" "$p99" "$done_" "$lost" "$busy"
}

warm() { # NAME PORT: prints the rate of the run, which is not counted (ours is still compiling)
  dnsperf -s 127.0.0.1 -p "$2" -d "$work/queries" -l "$WARMUP_S" -c "$CLIENTS" -q "$OUTSTANDING" >"$work/run.out" 2>&1 \
    || { cat "$work/run.out" >&2; die "dnsperf failed against $1"; }
  printf '  %-8s warm-up:    %9.0f q/s (not counted)\n' "$1" "$(stat_of 'Queries per second:' "$work/run.out")"
}

measure() { # NAME
  if [[ $1 == ours ]]; then
    throughput ours "$ours_port" "$ours_pid"; latency ours "$ours_port"
  else
    throughput dnsmasq "$theirs_port" "$theirs_pid"; latency dnsmasq "$theirs_port"
  fi
}

echo "warm-up: ${WARMUP_S} s of dnsperf against each"
warm ours "$ours_port"
warm dnsmasq "$theirs_port"
for (( r = 1; r <= rounds; r++ )); do
  echo "round $r/$rounds ($(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if (( r % 2 == 1 )); then measure ours; measure dnsmasq; else measure dnsmasq; measure ours; fi
done

# --- summary -----------------------------------------------------------------------------------
median() { # FILE COLUMN
  awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{v[NR] = $1} END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
oq=$(median "$work/ours.tput" 1); tq=$(median "$work/dnsmasq.tput" 1)
oa=$(median "$work/ours.tput" 2); ta=$(median "$work/dnsmasq.tput" 2)
oc=$(median "$work/ours.tput" 4); tc=$(median "$work/dnsmasq.tput" 4)
o50=$(median "$work/ours.lat" 1); t50=$(median "$work/dnsmasq.lat" 1)
o99=$(median "$work/ours.lat" 2); t99=$(median "$work/dnsmasq.lat" 2)
# The ratio of each round's pair, then their median: both ran within a minute of each other.
ratios=$(paste -d' ' "$work/ours.tput" "$work/dnsmasq.tput" | awk '{printf "%.2f ", $1 / $6}')
rq=$(tr ' ' '\n' <<<"$ratios" | grep . | sort -g | awk '{v[NR] = $1} END {
  if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}')
echo
echo "medians over $rounds rounds ($services services x $replicas replicas, $(wc -l <"$work/queries") names;" \
  "throughput: -l $seconds -c $CLIENTS -q $OUTSTANDING; latency: -Q $rate)"
printf '  %-8s %10s %12s %14s %10s %10s\n' "" "q/s" "avg ms(sat)" "CPU us/query" "p50 ms" "p99 ms"
printf '  %-8s %10.0f %12s %14s %10s %10s\n' ours "$oq" "$oa" "$oc" "$o50" "$o99"
printf '  %-8s %10.0f %12s %14s %10s %10s\n' dnsmasq "$tq" "$ta" "$tc" "$t50" "$t99"
echo "  q/s ratio ours/dnsmasq per round: $ratios-> median $rq"
verdict=$(awk -v q="$oq" -v r="$rq" 'BEGIN {print ((q >= 20000 && r >= 0.5) ? "met" : "NOT met")}')
echo "goal (>= 20,000 q/s and >= 0.5 x dnsmasq): $verdict"
