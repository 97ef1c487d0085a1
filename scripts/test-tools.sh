#!/usr/bin/env bash
# Puts the peer tools the tests run next to the orchestrator where they can find them, without
# installing their services: promtool (Debian's prometheus package), which MetricsIT uses to
# check GET /metrics. The package is downloaded and unpacked, not installed (installing it
# would start a Prometheus server).
#
#   scripts/test-tools.sh      (needs apt-get reaching Debian's archive the first time; root)
#
# Result: promtool on PATH, or /opt/orchestrator-test/bin/promtool. Idempotent.
set -euo pipefail

readonly NAME="test-tools"
readonly DEST="/opt/orchestrator-test/bin"

log() { printf '[%s] %s\n' "$NAME" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$NAME" "$*" >&2; exit 1; }

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
