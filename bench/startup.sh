#!/usr/bin/env bash
# Start-up benchmark: time from launching `bin/orchestrator server` to the first 200 from
# GET /health, over RUNS launches (default 10). Prints each run and the median in ms.
#   bench/startup.sh [IMAGE_DIR] [RUNS]
# Env: ORCHESTRATOR_NO_AOT=1 measures without the AOT cache.
set -euo pipefail
image=${1:-distribution/target/orchestrator}
runs=${2:-10}
port=${PORT:-18181}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$image/bin/orchestrator" server --bind 127.0.0.1 --port "$port" --data-dir "$work/data" \
      --plugins-dir "$work/plugins" >"$work/log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.005
  done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "median: ${median} ms over $runs runs (min $(echo "$sorted" | head -1), max $(echo "$sorted" | tail -1))"
