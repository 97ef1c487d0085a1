#!/usr/bin/env bash
# Puts the peer tools the tests run next to the orchestrator where they can find them, without
# installing their services: promtool (Debian's prometheus package), which MetricsIT uses to
# check GET /metrics, downloaded and unpacked, not installed (installing it would start a
# Prometheus server); Debian's chromium (installed: it starts nothing), the headless browser
# DashboardIT drives; and Debian's docker-registry (the registry binary, run by the tests on a
# loopback port of their own: LoopbackRegistry) with apache2-utils (htpasswd, for its users),
# installed with service starts refused (policy-rc.d) and the packaged registry service stopped
# and disabled if it runs anyway, so nothing is left listening; and Debian's sqlite3 (the CLI,
# with which StoreFaultsIT holds the state store's lock as another process would).
#
#   scripts/test-tools.sh      (needs apt-get reaching Debian's archive the first time; root)
#
# Result: chromium, docker-registry, htpasswd, openssl, sqlite3 and promtool on PATH (promtool possibly in
# /opt/orchestrator-test/bin), no docker-registry service running. Idempotent.
set -euo pipefail

readonly NAME="test-tools"
readonly DEST="/opt/orchestrator-test/bin"

log() { printf '[%s] %s\n' "$NAME" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$NAME" "$*" >&2; exit 1; }

APT_UPDATED=""
POLICY_RC="/usr/sbin/policy-rc.d"

# Installs a Debian package (root only) with every service start refused: a policy-rc.d that
# says 101 ("action forbidden") to invoke-rc.d and deb-systemd-invoke, the Docker image way,
# written for the install and removed after it if the machine had none. (RUNLEVEL=1 would not
# do: invoke-rc.d asks /sbin/runlevel, not the environment.)
apt_install() {
  local pkg=$1
  [[ -n "$APT_UPDATED" ]] || { apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null; APT_UPDATED=1; }
  local own_policy=""
  if [[ ! -e "$POLICY_RC" ]]; then
    printf '#!/bin/sh\n# scripts/test-tools.sh: no service starts while it installs\nexit 101\n' >"$POLICY_RC"
    chmod 0755 "$POLICY_RC"
    own_policy=1
    trap 'rm -f "$POLICY_RC"' EXIT
  fi
  local status=0
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "$pkg" >/dev/null \
    || status=$?
  [[ -z "$own_policy" ]] || { rm -f "$POLICY_RC"; trap - EXIT; }
  return "$status"
}

# Ensures a command from a Debian package: $1 command, $2 package, $3 what the tests use it for.
ensure_deb() {
  local cmd=$1 pkg=$2 why=$3
  if command -v "$cmd" >/dev/null 2>&1; then
    log "$cmd: $(command -v "$cmd")"
    return
  fi
  [[ $EUID -eq 0 ]] || die "run as root to install $pkg for $why (or install Debian's $pkg package)"
  apt_install "$pkg" || die "cannot install Debian's $pkg package"
  command -v "$cmd" >/dev/null 2>&1 || die "Debian's $pkg package installed no $cmd"
  log "$cmd: $(command -v "$cmd")"
}

# The packaged registry service (port 5000) is not what the tests run: stopped if it started
# despite the policy, and not started at boot.
quiet_registry_service() {
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
  fi
  if [[ -x /etc/init.d/docker-registry ]]; then
    if /etc/init.d/docker-registry status >/dev/null 2>&1; then
      /etc/init.d/docker-registry stop >/dev/null 2>&1 || die "cannot stop the docker-registry service"
      log "docker-registry: stopped the packaged service"
    fi
    update-rc.d docker-registry disable >/dev/null 2>&1 || true
  fi
}

ensure_deb chromium chromium "DashboardIT"
if ! command -v docker-registry >/dev/null 2>&1; then
  ensure_deb docker-registry docker-registry "the tests' loopback registry"
  quiet_registry_service
else
  log "docker-registry: $(command -v docker-registry)"
fi
ensure_deb htpasswd apache2-utils "the loopback registry's users"
ensure_deb openssl openssl "TlsIT's private CA and certificates"
ensure_deb sqlite3 sqlite3 "StoreFaultsIT (another process holding the state store's lock, integrity checks)"

if command -v promtool >/dev/null 2>&1; then
  log "promtool: $(command -v promtool)"
  exit 0
fi
if [[ -x "$DEST/promtool" ]]; then
  log "promtool: $DEST/promtool"
  exit 0
fi
[[ $EUID -eq 0 ]] || die "run as root to fetch promtool into $DEST (or install Debian's prometheus package)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download prometheus >/dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  apt-get download prometheus >/dev/null || die "cannot download Debian's prometheus package"
fi
dpkg-deb -x prometheus_*.deb root
mkdir -p "$DEST"
install -m 0755 root/usr/bin/promtool "$DEST/promtool"
log "promtool: $DEST/promtool ($("$DEST/promtool" --version 2>&1 | head -n1))"
