#!/usr/bin/env bash
# Helpers shared by the bench scripts (sourced, not run).

# Stops a server started by a bench script: SIGTERM, up to 15 s for a clean exit, then SIGKILL.
stop_server() {
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true  # its exit status (143 after SIGTERM) is not ours
  return 0
}

# Prints the last N lines of a server log to stderr after a failed run.
show_log_tail() {
  local rc=$1 log=$2 lines=$3
  if (( rc != 0 )) && [[ -f $log ]]; then
    echo "--- last lines of the server log ---" >&2
    tail -n "$lines" "$log" >&2
  fi
}
