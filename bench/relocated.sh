#!/usr/bin/env bash
# The image in its build directory vs its tarball unpacked elsewhere and run through a symlink
# (as from /usr/local/bin): lines on stderr, `--version` time, and start-up from launch to the
# first 200 from GET /health (as bench/startup.sh does), RUNS times each (default 10). The two
# copies take turns, run by run, so load from elsewhere on the machine falls on both alike.
# Prints medians in ms.
#   bench/relocated.sh [IMAGE_DIR] [RUNS]
# The tarball is IMAGE_DIR/../orchestrator-*-linux-x64.tar.gz.
set -euo pipefail
image=$(cd "${1:-distribution/target/orchestrator}" && pwd)
runs=${2:-10}
port=${PORT:-18181}
tarball=$(ls "$(dirname "$image")"/orchestrator-*-linux-x64.tar.gz | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/opt" "$work/bin"
tar -xzf "$tarball" -C "$work/opt"
ln -s "$work/opt/orchestrator/bin/orchestrator" "$work/bin/orchestrator"
names=("build directory" "unpacked elsewhere, through a symlink")
launchers=("$image/bin/orchestrator" "$work/bin/orchestrator")

stats() { # prints "median M ms (min A, max B)" of the numbers on stdin
  sort -n | awk '{a[NR]=$1} END {printf "median %s ms (min %s, max %s)\n",
    (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR]}'
}

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

startup() { # LAUNCHER DATA_DIR: one launch to the first 200 from /health, in ms
  local start pid
  start=$(date +%s%N)
  "$1" server --bind 127.0.0.1 --port "$port" --data-dir "$2/data" --plugins-dir "$2/plugins" \
    >"$2/log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$pid" 2>/dev/null || { cat "$2/log" >&2; exit 1; }
    sleep 0.005
  done
  ms_since "$start"
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for k in 0 1; do
  mkdir -p "$work/run$k"
  echo "${names[$k]}: ${launchers[$k]}"
  echo "  stderr lines: --version $("${launchers[$k]}" --version 2>&1 >/dev/null | wc -l)," \
    "plugins $("${launchers[$k]}" plugins --plugins-dir "$work/run$k/plugins" 2>&1 >/dev/null | wc -l)"
done
for i in $(seq 1 "$runs"); do
  for k in 0 1; do
    start=$(date +%s%N)
    "${launchers[$k]}" --version >/dev/null 2>&1
    ms_since "$start" >>"$work/version$k"
    startup "${launchers[$k]}" "$work/run$k" >>"$work/startup$k"
  done
done
for k in 0 1; do
  echo "${names[$k]}:"
  echo "  --version:            $(stats <"$work/version$k")"
  echo "  start-up to /health:  $(stats <"$work/startup$k")"
done
echo "over $runs runs each; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
