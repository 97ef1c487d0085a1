#!/usr/bin/env bash
# Builds the image and starts the server on a Debian machine, in one command:
#   scripts/run.sh [SERVER OPTIONS...]      e.g. scripts/run.sh --port 8080
# Selects a JDK >= 21 under /usr/lib/jvm, installs Debian's maven when mvn is missing (root),
# sets up Docker when it is not running (root: scripts/docker-up.sh installs and starts it;
# otherwise it stops with a one-line instruction), builds the image with
# `mvn -B -q -DskipTests package`, then runs `bin/orchestrator server` with the given options
# (see `bin/orchestrator server --help`). The server prints the admin password on its first
# start unless ORCHESTRATOR_ADMIN_PASSWORD is set.
set -euo pipefail

readonly JVM_DIR="/usr/lib/jvm"
readonly PREFERRED_JDK="$JVM_DIR/temurin-25-jdk-amd64"
readonly MIN_JAVA=21

die() { printf 'run: %s\n' "$*" >&2; exit 1; }
log() { printf '[run] %s\n' "$*"; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
JAVA_HOME="$(select_jdk)" || die "no JDK >= $MIN_JAVA under $JVM_DIR: install one (e.g. apt-get install temurin-25-jdk), then run this again"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

root() { [[ $(id -u) -eq 0 ]]; }
if ! command -v mvn >/dev/null 2>&1; then
  root || die "mvn is missing: run 'sudo apt-get install maven' (or this script as root), then this again"
  log "installing Debian's maven"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends maven >/dev/null
fi
if ! docker version >/dev/null 2>&1; then
  root || die "Docker is not running: run 'sudo scripts/docker-up.sh' (installs and starts it), then this again"
  log "Docker is not running: setting it up (scripts/docker-up.sh)"
  scripts/docker-up.sh >/dev/null || die "Docker could not be started: see scripts/docker-up.sh's output (run it alone)"
fi
log "building the image (mvn -B -q -DskipTests package)"
mvn -B -q -DskipTests package || die "the build failed (see above)"
exec distribution/target/orchestrator/bin/orchestrator server "$@"
