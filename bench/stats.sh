#!/usr/bin/env bash
# Cost of the nodes' stats collector (docs/benchmarks.md, "Live stats collector").
#
# Usage: bench/stats.sh IMAGE_DIR [CONTAINERS] [SECONDS] [INTERVAL]
#   IMAGE_DIR   the built image (its app/ jars: the Docker runtime plugin and the API)
#   CONTAINERS  idle busybox containers to sample (default 40)
#   SECONDS     length of each measured window (default 60)
#   INTERVAL    seconds between two rounds (default 5, the nodes' interval)
#
# Runs bench/stats/StatsBench.java with the image's own Java: it starts CONTAINERS containers
# through the Docker runtime plugin, then reads their stats as a node does (every container each
# INTERVAL, at most 32 reads in flight) for SECONDS, then measures a baseline window of SECONDS
# with the same containers and no reads. Prints the collector's CPU and dockerd's, with and
# without, in % of one core. Needs Docker and orchestrator-test/busybox:1; reads /proc of dockerd.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=${1:?usage: bench/stats.sh IMAGE_DIR [CONTAINERS] [SECONDS] [INTERVAL]}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
exec "$java" -cp "$image/app/*" "$here/stats/StatsBench.java" "${2:-40}" "${3:-60}" "${4:-5}" "$(pidof dockerd)"
