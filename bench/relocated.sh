#!/usr/bin/env bash
# The image in its build directory vs its tarball unpacked elsewhere and run through a symlink
# (as from /usr/local/bin): lines on stderr, `--version` time and start-up to /health
# (bench/startup.sh), RUNS times each (default 10); prints medians in ms.
#   bench/relocated.sh [IMAGE_DIR] [RUNS]
# The tarball is IMAGE_DIR/../orchestrator-*-linux-x64.tar.gz.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=$(cd "${1:-distribution/target/orchestrator}" && pwd)
runs=${2:-10}
tarball=$(ls "$(dirname "$image")"/orchestrator-*-linux-x64.tar.gz | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/opt" "$work/link/bin"
tar -xzf "$tarball" -C "$work/opt"
ln -s "$work/opt/orchestrator/bin/orchestrator" "$work/link/bin/orchestrator"

median() {
  sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

measure() { # NAME DIR: DIR/bin/orchestrator is the launcher (or a symlink to it)
  local name=$1 dir=$2 i start end times=()
  echo "== $name: $dir/bin/orchestrator"
  echo "stderr lines, --version: $("$dir/bin/orchestrator" --version 2>&1 >/dev/null | wc -l)," \
    "plugins: $("$dir/bin/orchestrator" plugins --plugins-dir "$work/p" 2>&1 >/dev/null | wc -l)"
  for i in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    "$dir/bin/orchestrator" --version >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  echo "--version: median $(printf '%s\n' "${times[@]}" | median) ms over $runs runs" \
    "(min $(printf '%s\n' "${times[@]}" | sort -n | head -1), max $(printf '%s\n' "${times[@]}" | sort -n | tail -1))"
  "$here/startup.sh" "$dir" "$runs" | tail -1 | sed 's/^/start-up to \/health: /'
}

measure "build directory" "$image"
measure "unpacked elsewhere, through a symlink" "$work/link"
