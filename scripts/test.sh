#!/usr/bin/env bash
# Runs every test of the project, doing all of its own set-up on a Debian machine (as root for
# the set-up: installing packages and starting dockerd), or stops with a one-line reason:
#   1. selects a JDK >= 21 under /usr/lib/jvm (temurin-25 preferred), installs Debian's maven
#      when mvn is missing,
#   2. starts Docker (scripts/docker-up.sh) - Docker tests are never skipped,
#   3. builds the offline test images (scripts/test-images.sh) and fetches the peer tools the
#      tests use (scripts/test-tools.sh),
#   4. runs the test command, `mvn -B verify` (arguments are passed on, e.g. -o), and exits
#      with its status.
# .ci/run calls exactly this script; the README names it as the test command.
set -euo pipefail

readonly NAME="test"
readonly JVM_DIR="/usr/lib/jvm"
readonly PREFERRED_JDK="$JVM_DIR/temurin-25-jdk-amd64"
readonly MIN_JAVA=21
readonly TEST_CMD="mvn -B verify"

START_SECONDS=$SECONDS

log() { printf '[%s] %s\n' "$NAME" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$NAME" "$*" >&2; exit 1; }

# shellcheck disable=SC2317  # invoked through the EXIT trap
on_exit() {
  local status=$?
  log "finished with status $status after $((SECONDS - START_SECONDS))s"
}
trap on_exit EXIT

cd "$(dirname "${BASH_SOURCE[0]}")/.."
log "repository: $(pwd)"
if commit="$(git rev-parse --short HEAD 2>/dev/null)"; then
  log "commit: $commit"
fi

# --- JDK ------------------------------------------------------------------------------

# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh

JAVA_HOME="$(select_jdk)" \
  || die "no JDK >= $MIN_JAVA found under $JVM_DIR (need bin/java and bin/javac; install e.g. temurin-25-jdk)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
log "JAVA_HOME=$JAVA_HOME"

need_root() { # WHAT: a one-line reason when this user cannot do the set-up itself
  [[ $(id -u) -eq 0 ]] || die "$1 and only root can set it up here: run this script as root (sudo $0), or do it first"
}

if ! command -v mvn >/dev/null 2>&1; then
  need_root "mvn is missing"
  log "mvn not found; installing Debian's maven"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends maven
  command -v mvn >/dev/null 2>&1 || die "mvn still not found after installing maven"
fi

# --- Docker -----------------------------------------------------------------------------

if ! docker version >/dev/null 2>&1; then
  need_root "Docker is not running"
fi
log "starting Docker (scripts/docker-up.sh)"
scripts/docker-up.sh || die "Docker could not start; the Docker tests cannot run (they are never skipped)"

# If the docker CLI is too new for the daemon and refuses to negotiate, pin the
# API version it reports (docker-up.sh checked that the daemon itself answers).
if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  max_api="$(docker version 2>&1 | sed -n 's/.*Maximum supported API version is \([0-9][0-9.]*\).*/\1/p' | head -n1 || true)"
  [[ -n "$max_api" ]] || die "docker CLI cannot talk to the daemon: $(docker version 2>&1 | tail -n 3)"
  export DOCKER_API_VERSION="$max_api"
  log "pinned DOCKER_API_VERSION=$DOCKER_API_VERSION for the docker CLI"
fi

log "building the offline test images (scripts/test-images.sh)"
scripts/test-images.sh

log "fetching the tests' peer tools (scripts/test-tools.sh)"
scripts/test-tools.sh || die "the peer tools could not be installed (chromium, docker-registry, htpasswd, promtool)"

# No registry is reachable: Ryuk's image cannot be pulled, so it is disabled
# (tests remove their own containers); published ports are on 127.0.0.1.
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
# Testcontainers' start-up checks would pull alpine; skip them for the same reason.
export TESTCONTAINERS_CHECKS_DISABLE=true

# --- versions -----------------------------------------------------------------------------

log "versions:"
java -version 2>&1 | sed 's/^/    /'
mvn -B -version 2>&1 | sed 's/^/    /'
docker version --format '    docker client {{.Client.Version}} (API {{.Client.APIVersion}}), engine {{.Server.Version}} (API {{.Server.APIVersion}})'

# --- tests ---------------------------------------------------------------------------------

log "running: $TEST_CMD $*"
read -r -a test_argv <<<"$TEST_CMD"
test_argv+=("$@")
status=0
"${test_argv[@]}" </dev/null || status=$?
if [[ $status -eq 0 ]]; then
  log "tests passed"
else
  log "tests FAILED (exit status $status)"
fi
exit "$status"
