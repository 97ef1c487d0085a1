#!/usr/bin/env bash
# The fault suite at full counts (docs/reliability.md): ProcessFaultsIT with the server SIGKILLed
# in the middle of a 20-replica deploy ROUNDS times (default 10; CI runs 3), an agent SIGKILLed
# and an agent frozen 10 s with SIGSTOP; and StoreFaultsIT (the data directory's disk full on
# an 8 MiB tmpfs, the database locked by the sqlite3 CLI). Real image, real Docker engine (the
# machine's: the suite's nodes flt-1/flt-2 on 127.0.0.71/72 and services flt* are its own),
# real SQLite. Needs root (the tmpfs mount) and sqlite3 (scripts/test-tools.sh installs it).
# Builds the image first. Prints the suite's FAULTS: lines; the processes' full output is in
# it-tests/target/{process,store}-faults-it/.
#   bench/faults.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds=${1:-10}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1} \
  mvn -B -o verify -pl it-tests -am -Dspotbugs.skip -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test='ProcessFaultsIT,StoreFaultsIT' -Dfaults.rounds="$rounds" \
  >"$log" 2>&1 || status=$?
grep -E '^FAULTS:' "$log" || true
if [[ $status -ne 0 ]]; then
  grep -E 'Tests run:|FAIL|AssertionFailedError|AssertionError' "$log" | head -40
  echo "faults: FAILED (exit $status)" >&2
fi
exit "$status"
