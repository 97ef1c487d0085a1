#!/usr/bin/env bash
# Puts the peer tools the tests run next to the orchestrator where they can find them, without
# installing their services: promtool (Debian's prometheus package), which MetricsIT uses to
# check GET /metrics, downloaded and unpacked, not installed (installing it would start a
# Prometheus server); and Debian's chromium (installed: it starts nothing), the headless
# browser DashboardIT drives.
#
#   scripts/test-tools.sh      (needs apt-get reaching Debian's archive the first time; root)
#
# Result: chromium and promtool on PATH (promtool possibly in /opt/orchestrator-test/bin). Idempotent.
set -euo pipefail

readonly NAME="test-tools"
readonly DEST="/opt/orchestrator-test/bin"

log() { printf '[%s] %s\n' "$NAME" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$NAME" "$*" >&2; exit 1; }

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    log "chromium: $(command -v chromium)"
    return
  fi
  [[ $EUID -eq 0 ]] || die "run as root to install chromium (or install Debian's chromium package)"
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q chromium >/dev/null \
    || die "cannot install Debian's chromium package"
  log "chromium: $(command -v chromium)"
}
ensure_chromium

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
