#!/usr/bin/env bash
# Builds the offline test images used by the orchestrator's Docker tests.
#
# No container registry is reachable from CI, so nothing is ever pulled: the
# images are made with `docker import` from a tiny rootfs built around
# Debian's statically linked busybox (package busybox-static).
#
#   orchestrator-test/busybox:1  CMD ["sh"]
#   orchestrator-test/web:1      busybox httpd in the foreground on port 8080,
#                                serving /www with CGI; EXPOSE 8080.
#                                GET /health         -> 200 while /www/health exists,
#                                                       404 after `rm /www/health`
#                                GET /               -> index.html
#                                GET /cgi-bin/hostname -> the container's hostname
#
# Images are only rebuilt when missing or when this script changed: the
# sha256 of this file is stored in the image label
# org.orchestrator.test-images.hash.
#
# Requires a running Docker engine (see scripts/docker-up.sh).
# Usage: scripts/test-images.sh [--force]
set -euo pipefail

readonly NAME="test-images"
readonly BUSYBOX_IMAGE="orchestrator-test/busybox:1"
readonly WEB_IMAGE="orchestrator-test/web:1"
readonly HASH_LABEL="org.orchestrator.test-images.hash"

log() { printf '[%s] %s\n' "$NAME" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$NAME" "$*" >&2; exit 1; }

FORCE=false
case "${1:-}" in
  --force) FORCE=true ;;
  "") ;;
  *) die "unknown argument: $1 (usage: $0 [--force])" ;;
esac

SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
SCRIPT_HASH="$(sha256sum "$SCRIPT_PATH" | cut -c1-64)"
readonly SCRIPT_PATH SCRIPT_HASH

command -v docker >/dev/null 2>&1 || die "docker client not found; run scripts/docker-up.sh first"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "Docker engine does not answer; run scripts/docker-up.sh first"

# --- busybox -----------------------------------------------------------------

is_static_busybox() {
  [[ -x /bin/busybox ]] || return 1
  # `ldd` prints "not a dynamic executable" (and exits 1) for static binaries;
  # capture first so pipefail does not see ldd's exit status.
  local out
  out="$(LC_ALL=C ldd /bin/busybox 2>&1 || true)"
  [[ "$out" == *"not a dynamic executable"* ]]
}

ensure_busybox_static() {
  if is_static_busybox; then
    return 0
  fi
  [[ "$(id -u)" -eq 0 ]] || die "/bin/busybox is missing or not static and we are not root to install busybox-static"
  log "installing busybox-static (static /bin/busybox not found)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q busybox-static
  is_static_busybox || die "/bin/busybox is still not a static binary after installing busybox-static"
}

# --- image helpers -------------------------------------------------------------

image_hash() {
  docker image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true
}

needs_build() {
  local image="$1" current
  if [[ "$FORCE" == true ]]; then
    return 0
  fi
  current="$(image_hash "$image")"
  if [[ -z "$current" ]]; then
    log "$image: missing, will build"
    return 0
  fi
  if [[ "$current" != "$SCRIPT_HASH" ]]; then
    log "$image: built by another version of this script, will rebuild"
    return 0
  fi
  log "$image: up to date"
  return 1
}

# --- rootfs ---------------------------------------------------------------------

WORK_DIR=""
cleanup() {
  if [[ -n "$WORK_DIR" && -d "$WORK_DIR" ]]; then
    rm -rf "$WORK_DIR"
  fi
}
trap cleanup EXIT

build_rootfs_tar() {
  local root="$WORK_DIR/rootfs" tarball="$WORK_DIR/rootfs.tar" applet
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,www/cgi-bin,proc,sys,dev}
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"

  cp /bin/busybox "$root/bin/busybox"
  chmod 0755 "$root/bin/busybox"
  # Every applet as a symlink in /bin (so PATH lookups always work).
  while IFS= read -r applet; do
    [[ -n "$applet" && "$applet" != "busybox" ]] || continue
    ln -sf busybox "$root/bin/$applet"
  done < <(/bin/busybox --list)
  ln -sf busybox "$root/bin/sh"
  ln -sf ../../bin/busybox "$root/usr/bin/env"

  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
nobody:x:65534:
EOF
  : >"$root/etc/hostname"
  : >"$root/etc/hosts"
  : >"$root/etc/resolv.conf"

  cat >"$root/www/index.html" <<'EOF'
<!doctype html>
<html><head><title>orchestrator test web</title></head>
<body><h1>orchestrator-test/web</h1></body></html>
EOF
  printf 'ok\n' >"$root/www/health"

  cat >"$root/www/cgi-bin/hostname" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
hostname
EOF
  chmod 0755 "$root/www/cgi-bin/hostname"

  # Entry point of the web image. httpd runs as a child of sh so that
  # SIGTERM (docker stop) ends it at once: PID 1 ignores signals it has no
  # handler for, which would make every `docker stop` wait its full timeout.
  # The "listening" line is printed only once the port is bound, so it can
  # be used as a readiness signal. Request logs go to stderr.
  cat >"$root/bin/web-server" <<'EOF'
#!/bin/sh
PORT="${PORT:-8080}"
httpd -f -vv -p "$PORT" -h /www &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit 143' TERM INT
i=0
while ! netstat -ltn 2>/dev/null | grep -q ":$PORT "; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "web: httpd failed to start on port $PORT" >&2
    wait "$pid"
    exit 1
  fi
  i=$((i + 1))
  if [ "$i" -gt 100 ]; then
    echo "web: httpd did not bind port $PORT within 10s" >&2
    break
  fi
  sleep 0.1
done
echo "web: listening on $PORT"
wait "$pid"
EOF
  chmod 0755 "$root/bin/web-server"

  tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$tarball" .
}

import_image() {
  local tarball="$1" image="$2"; shift 2
  local args=(-c "LABEL $HASH_LABEL=$SCRIPT_HASH" -c "LABEL org.opencontainers.image.title=$image")
  local change
  for change in "$@"; do
    args+=(-c "$change")
  done
  local old_id new_id
  old_id="$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
  log "$image: importing"
  new_id="$(docker import "${args[@]}" -m "built by scripts/test-images.sh" "$tarball" "$image")"
  # Drop the previous build if nothing else uses it (best effort).
  if [[ -n "$old_id" && "$old_id" != "$new_id" ]]; then
    docker image rm "$old_id" >/dev/null 2>&1 || true
  fi
}

# --- main -------------------------------------------------------------------------

build_busybox=false
build_web=false
needs_build "$BUSYBOX_IMAGE" && build_busybox=true
needs_build "$WEB_IMAGE" && build_web=true

if [[ "$build_busybox" == true || "$build_web" == true ]]; then
  ensure_busybox_static
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-test-images.XXXXXX")"
  tarball="$WORK_DIR/rootfs.tar"
  build_rootfs_tar
  log "rootfs tarball: $(du -h "$tarball" | cut -f1)"

  if [[ "$build_busybox" == true ]]; then
    import_image "$tarball" "$BUSYBOX_IMAGE" \
      'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin' \
      'CMD ["sh"]'
  fi
  if [[ "$build_web" == true ]]; then
    import_image "$tarball" "$WEB_IMAGE" \
      'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin' \
      'EXPOSE 8080' \
      'WORKDIR /www' \
      'CMD ["/bin/web-server"]'
  fi
fi

for image in "$BUSYBOX_IMAGE" "$WEB_IMAGE"; do
  id="$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null)" \
    || die "$image: not present after build"
  log "$image $id"
done
