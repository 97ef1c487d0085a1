#!/usr/bin/env bash
# Makes a working Docker engine available (for the Docker-backed tests and CI).
#
# What it does:
#   1. If the engine already answers (`docker version`, honouring DOCKER_HOST),
#      it does nothing else.
#   2. Installs Debian's docker.io (dockerd 20.10 + containerd + runc) when
#      dockerd is missing, and busybox-static when /bin/busybox is not a static
#      binary (needed by scripts/test-images.sh).
#   3. Starts dockerd fully detached (setsid + nohup, log in
#      /var/log/dockerd-orchestrator.log or $TMPDIR) and waits up to
#      $DOCKER_UP_TIMEOUT (60) seconds for it to answer.
#   4. Smoke-tests it by running a container from a throw-away image imported
#      from /bin/busybox. If that fails because of the storage driver
#      (overlay on overlay, ...) it restarts dockerd with
#      --storage-driver=fuse-overlayfs (if installed) or vfs; if dockerd cannot
#      set up iptables it restarts it with --iptables=false. It says so.
#   5. Leaves dockerd running.
#
# Findings on the reference machine (Debian 12 "bookworm", Firecracker VM with
# /.dockerenv but an ext4 root, kernel 6.18, cgroup v1, iptables 1.8.9 nf_tables):
#   * plain `dockerd` with no extra flags works: storage driver overlay2,
#     cgroupfs driver, default bridge 172.17.0.0/16, iptables=true.
#   * `docker run -p 127.0.0.1:18080:8080 ...` is reachable from the host with
#     curl/wget on 127.0.0.1:18080.
#   * the docker CLI in /usr/local/bin (28.2.2, API 1.50) negotiates down to the
#     daemon's API 1.41 by itself; DOCKER_API_VERSION is not needed. Should a
#     client refuse ("Maximum supported API version is X"), this script pins
#     DOCKER_API_VERSION=X for itself and tells you to export it too.
#   * Java clients must not request an API version above 1.41 from this daemon
#     (Testcontainers 2.0.2 defaults to 1.44 and fails; 2.0.3+ falls back).
#   * PID 1 in a container ignores SIGTERM without a handler, so `docker stop`
#     of e.g. `sleep` waits the full 10 s timeout; use `--init` or `-t 0`.
#
# Environment:
#   DOCKER_HOST          honoured; only a unix:// socket can be started locally.
#   DOCKERD_EXTRA_ARGS   extra flags for dockerd (word-split), e.g. "--iptables=false".
#   DOCKER_UP_TIMEOUT    seconds to wait for dockerd (default 60).
set -euo pipefail

readonly NAME="docker-up"
readonly TIMEOUT="${DOCKER_UP_TIMEOUT:-60}"
readonly PROBE_IMAGE="orchestrator-test/docker-up-probe:latest"

log() { printf '[%s] %s\n' "$NAME" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$NAME" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$NAME" "$*" >&2; exit 1; }

# --- where is the daemon supposed to be? -------------------------------------------

DEFAULT_SOCKET="/var/run/docker.sock"
SOCKET="$DEFAULT_SOCKET"
if [[ -n "${DOCKER_HOST:-}" ]]; then
  case "$DOCKER_HOST" in
    unix://*) SOCKET="${DOCKER_HOST#unix://}" ;;
    *) REMOTE_HOST=true ;;
  esac
fi
readonly SOCKET
REMOTE_HOST="${REMOTE_HOST:-false}"

if [[ -w /var/log ]]; then
  DOCKERD_LOG="/var/log/dockerd-orchestrator.log"
else
  DOCKERD_LOG="${TMPDIR:-/tmp}/dockerd-orchestrator.log"
fi
readonly DOCKERD_LOG

# --- helpers -------------------------------------------------------------------------

# Succeeds when the engine answers. Pins DOCKER_API_VERSION when the client is
# too new for the daemon and refuses to negotiate.
docker_answers() {
  command -v docker >/dev/null 2>&1 || return 1
  local out max
  if out="$(timeout 15 docker version --format '{{.Server.Version}}' 2>&1)"; then
    return 0
  fi
  if [[ "$out" == *"Maximum supported API version is "* ]]; then
    max="$(sed -n 's/.*Maximum supported API version is \([0-9][0-9.]*\).*/\1/p' <<<"$out" | head -n1)"
    if [[ -n "$max" && "${DOCKER_API_VERSION:-}" != "$max" ]]; then
      warn "docker client is too new for the daemon; using DOCKER_API_VERSION=$max (export it in your shell too)"
      export DOCKER_API_VERSION="$max"
      timeout 15 docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && return 0
    fi
  fi
  return 1
}

report_engine() {
  local server_version server_api client_version client_api driver
  server_version="$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')"
  server_api="$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null || echo '?')"
  client_version="$(docker version --format '{{.Client.Version}}' 2>/dev/null || echo '?')"
  client_api="$(docker version --format '{{.Client.APIVersion}}' 2>/dev/null || echo '?')"
  driver="$(docker info --format '{{.Driver}}' 2>/dev/null || echo '?')"
  log "Docker engine $server_version (API $server_api), client $client_version (API $client_api), storage driver $driver"
  if [[ -n "${DOCKER_API_VERSION:-}" ]]; then
    log "DOCKER_API_VERSION=$DOCKER_API_VERSION"
  fi
}

require_root() {
  [[ "$(id -u)" -eq 0 ]] || die "Docker could not start: $1 needs root (run this script as root)"
}

is_static_busybox() {
  [[ -x /bin/busybox ]] || return 1
  # ldd says "not a dynamic executable" (exit 1) for static binaries; capture
  # first so that pipefail does not trip over ldd's exit status.
  local out
  out="$(LC_ALL=C ldd /bin/busybox 2>&1 || true)"
  [[ "$out" == *"not a dynamic executable"* ]]
}

install_packages() {
  local packages=()
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    packages+=(docker.io)
  fi
  if ! is_static_busybox; then
    packages+=(busybox-static)
  fi
  if [[ ${#packages[@]} -eq 0 ]]; then
    return 0
  fi
  require_root "installing ${packages[*]}"
  log "installing ${packages[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for a concurrently running apt/dpkg instead of failing on its lock.
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${packages[@]}"
  command -v dockerd >/dev/null 2>&1 || die "Docker could not start: dockerd still missing after installing docker.io"
}

# Pid of the dockerd serving the default socket, if it is running.
dockerd_pid() {
  local pidfile="/var/run/docker.pid" pid
  [[ "$SOCKET" == "$DEFAULT_SOCKET" ]] || return 1
  if [[ -r "$pidfile" ]]; then
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      printf '%s\n' "$pid"
      return 0
    fi
  fi
  return 1
}

dump_log_and_die() {
  printf '[%s] ---- last 50 lines of %s ----\n' "$NAME" "$DOCKERD_LOG" >&2
  tail -n 50 "$DOCKERD_LOG" >&2 || true
  printf '[%s] ---- end of dockerd log ----\n' "$NAME" >&2
  die "Docker could not start: $*"
}

# Waits until the engine answers. $1 = pid of the dockerd we started (or "").
wait_for_engine() {
  local pid="$1" deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if docker_answers; then
      return 0
    fi
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      return 2 # our dockerd died
    fi
    sleep 1
  done
  return 1
}

DOCKERD_PID=""
# Starts dockerd detached with the given fallback flags (they come last and
# so win over DOCKERD_EXTRA_ARGS); sets DOCKERD_PID.
start_dockerd() {
  local args=(-H "unix://$SOCKET")
  if [[ -n "${DOCKERD_EXTRA_ARGS:-}" ]]; then
    local extra
    read -r -a extra <<<"$DOCKERD_EXTRA_ARGS"
    args+=("${extra[@]}")
  fi
  args+=("$@")
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  printf '\n==== %s: %s starting dockerd %s ====\n' "$(date -u +%FT%TZ)" "$NAME" "${args[*]}" >>"$DOCKERD_LOG"
  log "starting dockerd ${args[*]} (log: $DOCKERD_LOG)"
  # New session, no controlling terminal, no inherited stdio: survives this
  # script and does not keep a CI job's output pipes open.
  setsid nohup dockerd "${args[@]}" </dev/null >>"$DOCKERD_LOG" 2>&1 &
  DOCKERD_PID=$!
}

stop_our_dockerd() {
  local pid="$1" i
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping dockerd (pid $pid) to restart it with other flags"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 1
  done
  warn "dockerd (pid $pid) did not stop after SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 1
}

# Why the last dockerd start failed, from the log written since the last
# start marker: the fatal "failed to start daemon" line if there is one, else
# the error lines (info lines are skipped: they mention e.g. "overlay2" on
# every start, and the storage driver auto-selection logs harmless errors).
errors_since_last_start() {
  local since fatal
  since="$(awk '/^==== .* starting dockerd/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$DOCKERD_LOG" 2>/dev/null || true)"
  fatal="$(grep -iE 'failed to start daemon' <<<"$since" || true)"
  if [[ -n "$fatal" ]]; then
    printf '%s\n' "$fatal"
  else
    grep -iE 'level=(error|fatal)' <<<"$since" || true
  fi
}

# Runs a container from a throw-away image with just busybox in it. Prints the
# error output on failure.
smoke_test() {
  local tmp out rc=0
  is_static_busybox || { log "no static /bin/busybox; skipping container smoke test" >&2; return 0; }
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/docker-up-probe.XXXXXX")"
  mkdir -p "$tmp/root/bin"
  cp /bin/busybox "$tmp/root/bin/busybox"
  ln -s busybox "$tmp/root/bin/sh"
  ln -s busybox "$tmp/root/bin/true"
  tar --numeric-owner -C "$tmp/root" -cf "$tmp/probe.tar" .
  if ! out="$(docker import "$tmp/probe.tar" "$PROBE_IMAGE" 2>&1)"; then
    rc=1
  elif ! out="$(docker run --rm --network none "$PROBE_IMAGE" /bin/true 2>&1)"; then
    rc=1
  elif ! out="$(docker run --rm "$PROBE_IMAGE" /bin/true 2>&1)"; then
    rc=1 # bridge networking
  fi
  docker image rm "$PROBE_IMAGE" >/dev/null 2>&1 || true
  rm -rf "$tmp"
  if [[ $rc -ne 0 ]]; then
    printf '%s\n' "$out"
  fi
  return "$rc"
}

storage_fallback_driver() {
  if command -v fuse-overlayfs >/dev/null 2>&1 && [[ -e /dev/fuse ]]; then
    echo fuse-overlayfs
  else
    echo vfs
  fi
}

# --- main ------------------------------------------------------------------------------

if docker_answers; then
  log "Docker engine already answers${DOCKER_HOST:+ at $DOCKER_HOST}; nothing to do"
  report_engine
  exit 0
fi

if [[ "$REMOTE_HOST" == true ]]; then
  die "Docker could not start: DOCKER_HOST=$DOCKER_HOST does not answer and is not a local unix socket this script could start"
fi

install_packages

if pid="$(dockerd_pid)"; then
  # A dockerd is already running (maybe still starting): wait for it, do not
  # start a second one.
  log "dockerd (pid $pid) is running but $SOCKET does not answer yet; waiting up to ${TIMEOUT}s"
  if wait_for_engine ""; then
    report_engine
    exit 0
  fi
  dump_log_and_die "dockerd (pid $pid, not started by this script) did not answer on $SOCKET within ${TIMEOUT}s"
fi

require_root "starting dockerd"

flags=()
tried_storage=false
tried_iptables=false
while true; do
  start_dockerd "${flags[@]}"
  status=0
  wait_for_engine "$DOCKERD_PID" || status=$?

  if [[ $status -eq 0 ]]; then
    if smoke_output="$(smoke_test)"; then
      break
    fi
    log "container smoke test failed: $smoke_output"
    failure="$smoke_output"
  else
    failure="$(errors_since_last_start | tail -n 30)"
  fi

  # Decide on a fallback from the failure text.
  if [[ "$tried_storage" == false ]] \
    && grep -qiE 'storage.driver|graphdriver|overlay|driver not supported|mount.*(invalid argument|not supported)' <<<"$failure"; then
    tried_storage=true
    driver="$(storage_fallback_driver)"
    warn "the default storage driver does not work here; falling back to --storage-driver=$driver"
    stop_our_dockerd "$DOCKERD_PID"
    flags+=("--storage-driver=$driver")
    continue
  fi
  if [[ "$tried_iptables" == false ]] && grep -qiE 'iptables|nat chain|xtables' <<<"$failure"; then
    tried_iptables=true
    warn "dockerd cannot use iptables here; falling back to --iptables=false (published ports still work through docker-proxy)"
    stop_our_dockerd "$DOCKERD_PID"
    flags+=("--iptables=false")
    continue
  fi

  if [[ $status -eq 0 ]]; then
    stop_our_dockerd "$DOCKERD_PID"
    dump_log_and_die "dockerd answers but cannot run containers: $smoke_output"
  elif [[ $status -eq 2 ]]; then
    dump_log_and_die "dockerd exited during startup (flags: ${flags[*]:-none})"
  else
    stop_our_dockerd "$DOCKERD_PID"
    dump_log_and_die "no answer on $SOCKET within ${TIMEOUT}s (flags: ${flags[*]:-none})"
  fi
done

log "dockerd is up (pid $DOCKERD_PID${flags[*]:+, flags: ${flags[*]}}); it keeps running after this script"
report_engine
if [[ "$(docker info --format '{{.Driver}}' 2>/dev/null || true)" == vfs ]]; then
  warn "storage driver is vfs (overlay2 not usable here): it works, but every layer is a full copy (slow, disk hungry)"
fi
