#!/usr/bin/env bash
# A multi-host lab on one machine: N "nodes", each a network namespace with its
# own stock dockerd, joined by one host bridge (the "switch"). Needs root.
#
# Usage:
#   scripts/lab.sh up N [--image IMG ...]   build nodes lab1..labN (N = 1..50)
#   scripts/lab.sh down                     remove everything the lab made
#   scripts/lab.sh status                   one line per node
#   scripts/lab.sh env K                    `eval "$(scripts/lab.sh env 2)"`
#   scripts/lab.sh exec K CMD [ARG...]      run CMD in node K's network namespace
#   scripts/lab.sh engine-stop K            stop node K's dockerd (a fault to test)
#   scripts/lab.sh engine-start K           start it again, as `up` does
#
# What `up N` builds, for K = 1..N:
#   * network namespace orch-labK; inside it `lo` up, eth0 = 10.77.0.(10+K)/24,
#     default route via 10.77.0.1, net.ipv4.ip_forward=1;
#   * a veth pair orch-labKh (host side, a port of the bridge) <-> eth0;
#   * a dockerd started with `nsenter --net=/var/run/netns/orch-labK`, stock
#     except for its paths and its default bridge:
#       -H unix:///run/orch-lab/labK/docker.sock  --pidfile /run/orch-lab/labK/docker.pid
#       --exec-root /run/orch-lab/labK/exec       --data-root /var/lib/orch-lab/labK/docker
#       --bip 172.30.K.1/24
#       --config-file /run/orch-lab/labK/daemon.json  (holds only a per-node
#         "deprecated-key-path", so each node has its own engine ID and a host
#         /etc/docker/daemon.json does not leak into the nodes)
#     log: /var/log/orch-lab/labK-dockerd.log (kept by `down`);
#   * the images (default: orchestrator-test/busybox:1 and orchestrator-test/web:1
#     when the host engine has them) copied from the host engine with
#     `docker save | docker load`.
# Once for the lab:
#   * host bridge orch-lab0 with 10.77.0.1/24 (the switch; the host is 10.77.0.1);
#   * iptables: `-I FORWARD -i orch-lab0 -o orch-lab0 -j ACCEPT` (and the same
#     in DOCKER-USER when that chain exists), tagged `-m comment --comment
#     orch-lab`. With br_netfilter loaded (bridge-nf-call-iptables=1, which
#     Docker sets) frames bridged between two nodes traverse the host's FORWARD
#     chain, whose policy Docker sets to DROP; this rule lets exactly
#     node-to-node traffic through. Nothing else: traffic from a node to
#     anywhere but 10.77.0.0/24 is not forwarded by the host (FORWARD policy
#     DROP, no NAT).
#
# Address ranges (chosen to keep clear of the product's 10.210.0.0/15 and of
# Docker's 172.17.0.0/16 on the host):
#   10.77.0.0/24    the lab's "physical" network (host .1, node K at .10+K)
#   172.30.K.0/24   node K's docker0 (172.30.0.0/16 for the whole lab)
# `up` refuses if the host already has a route into either range.
#
# The lab sets up only what a network of real machines has: addresses, a
# default route, a switch. No routes between the nodes' container subnets, no
# firewall rules for the product; the product's agent does those itself.
#
# `up` on an existing lab (anything `down` would find) first runs `down`. If
# `up` fails it runs `down` too, so nothing is left half-built (logs are kept).
#
# `down` does not rely on state from `up`: it finds namespaces orch-lab<K>, the
# directories under /run/orch-lab and /var/lib/orch-lab, host links
# orch-lab<K>h, the bridge and the tagged iptables rules, and removes them. Per
# node (nodes in parallel): SIGTERM to processes started in the node with
# `exec` (5 s, then SIGKILL); `docker rm -f` of all containers if the engine
# answers; SIGTERM to dockerd (20 s, then SIGKILL); SIGKILL to whatever is left
# (container processes, by the container cgroups; processes in the namespace;
# processes whose command line names the node's directories: containerd,
# shims); umount of everything under /run/orch-lab/labK and
# /var/lib/orch-lab/labK (deepest first, `umount -l` as last resort); delete the
# namespace and veth; remove the node's directories. Then the bridge, the
# iptables rules, and /run/netns's own bind mount if no namespace is left in
# it. It is idempotent and works after a crash (e.g. a SIGKILLed dockerd,
# whose containers keep running under their shims). Exit 1 if anything
# remains, naming it.
#
# `status` prints, per node: name, address, dockerd pid, whether the engine
# answers, containers running/total. Exit 1 if there is no lab or a node does
# not answer.
#
# `env K` prints `export DOCKER_HOST=unix:///run/orch-lab/labK/docker.sock`,
# LAB_NODE=labK and LAB_ADDR=10.77.0.(10+K).
# `exec K CMD...` runs CMD with `nsenter --net=/var/run/netns/orch-labK` (host
# filesystem, host PID namespace, the node's network), with DOCKER_HOST,
# LAB_NODE and LAB_ADDR of the node exported, e.g.
#   scripts/lab.sh exec 2 bin/orchestrator agent ...
#
# `engine-stop K` sends SIGTERM to node K's dockerd (found by its pidfile, as
# `down` finds it) and waits until it has exited (LAB_TIMEOUT, then SIGKILL);
# the namespace, its containers (stopped by dockerd: no live-restore) and the
# node's directories stay. `engine-start K` starts the node's dockerd again with
# the arguments `up` used and waits until it answers. Both print how long that
# took; engine-stop of a stopped engine and engine-start of a running one fail
# (exit 1). `down` works after either, or after a crash between them.
#
# Exit codes: 0 ok, 1 failure, 2 bad usage.
#
# Environment:
#   LAB_HOST_DOCKER     the host engine the images come from
#                       (default unix:///var/run/docker.sock; DOCKER_HOST is
#                       ignored, it may point at a lab node)
#   LAB_TIMEOUT         seconds to wait for each dockerd (default 60)
#   LAB_DOCKERD_EXTRA_ARGS  extra dockerd flags (word-split), e.g.
#                       "--storage-driver=vfs" where overlay2 does not work
#
# Measured on the reference machine (Debian 12, 2 cores, kernel 6.18, dockerd
# 20.10, iptables 1.8.9 nf_tables, two 2 MB test images):
#   up 3 (both images copied): 2.3 .. 4.5 s;
#   down (3 nodes, 0..3 containers running): 4 .. 6 s, most of it dockerd's
#   own shutdown (~2.5 s after SIGTERM, nodes in parallel);
#   down of `up 2` after `kill -9` of a dockerd with 2 containers running: 3 s.
#
# Caveats:
#   * All nodes share the host's hostname (`docker info` Name), kernel, cgroup
#     tree (containers under /sys/fs/cgroup/*/docker/<id>, like the host
#     engine's) and filesystem; only the network is per node.
#   * The iptables rules go to the backend `iptables` points at (here nf_tables)
#     and also to the other backend if its filter table exists and has a DROP
#     FORWARD policy or a DOCKER-USER chain. A native nftables ruleset that
#     drops forwarded traffic (firewalld, ...) is not handled. IPv4 only.
#   * If a system containerd runs (/run/containerd/containerd.sock exists),
#     dockerd 20.10 uses it instead of starting its own, and the nodes would
#     share it; `up` warns about that.
set -euo pipefail

readonly NAME="lab.sh"
readonly PREFIX="orch-lab"
readonly BRIDGE="orch-lab0"
readonly BRIDGE_ADDR="10.77.0.1/24"
readonly NET_PREFIX="10.77.0"
readonly RUN_ROOT="/run/orch-lab"
readonly DATA_ROOT="/var/lib/orch-lab"
readonly LOG_DIR="/var/log/orch-lab"
readonly NETNS_DIR="/var/run/netns"
readonly LOCK_FILE="/run/lock/orch-lab.lock"
readonly RULE_COMMENT="orch-lab"
readonly MAX_NODES=50
readonly HOST_DOCKER="${LAB_HOST_DOCKER:-unix:///var/run/docker.sock}"
readonly TIMEOUT="${LAB_TIMEOUT:-60}"
readonly DEFAULT_IMAGES=(orchestrator-test/busybox:1 orchestrator-test/web:1)

log() { printf '[%s] %s\n' "$NAME" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$NAME" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$NAME" "$*" >&2; exit 1; }
usage_error() {
  printf '[%s] %s\n' "$NAME" "$*" >&2
  printf 'usage: %s up N [--image IMG ...] | down | status | env K | exec K CMD [ARG...] | engine-stop K | engine-start K\n' "$0" >&2
  exit 2
}

# --- naming --------------------------------------------------------------------

ns_name() { printf '%s%s' "$PREFIX" "$1"; }             # orch-labK
ns_path() { printf '%s/%s%s' "$NETNS_DIR" "$PREFIX" "$1"; }
host_veth() { printf '%s%sh' "$PREFIX" "$1"; }          # orch-labKh
node_addr() { printf '%s.%s' "$NET_PREFIX" "$((10 + $1))"; }
run_dir() { printf '%s/lab%s' "$RUN_ROOT" "$1"; }
data_dir() { printf '%s/lab%s' "$DATA_ROOT" "$1"; }
node_sock() { printf 'unix://%s/docker.sock' "$(run_dir "$1")"; }
node_pidfile() { printf '%s/docker.pid' "$(run_dir "$1")"; }
node_log() { printf '%s/lab%s-dockerd.log' "$LOG_DIR" "$1"; }

in_ns() { # K CMD...: run CMD in node K's network namespace
  local k="$1"
  shift
  nsenter --net="$(ns_path "$k")" -- "$@"
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

parse_node() { # K -> validated K (strips leading zeros), usage error otherwise
  is_uint "$1" || usage_error "node must be a number 1..$MAX_NODES, got '$1'"
  local k=$((10#$1))
  ((k >= 1 && k <= MAX_NODES)) || usage_error "node must be a number 1..$MAX_NODES, got '$1'"
  printf '%s' "$k"
}

require_root() {
  [[ "$(id -u)" -eq 0 ]] || die "$1 needs root"
}

require_commands() {
  local c missing=()
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  [[ ${#missing[@]} -eq 0 ]] || die "missing commands: ${missing[*]}"
}

take_lock() {
  mkdir -p "$(dirname "$LOCK_FILE")"
  exec 9>"$LOCK_FILE"
  flock -w 120 9 || die "another lab.sh up/down still holds $LOCK_FILE after 120 s"
}

ns_exists() { [[ -e "$(ns_path "$1")" ]]; }
link_exists() { ip link show dev "$1" >/dev/null 2>&1; }

# --- discovery (no state from `up`) ---------------------------------------------

# Node numbers that have anything left: namespace, directories, host veth,
# processes naming the node's directories. Sorted, unique.
discover_nodes() {
  local f k
  {
    if [[ -d "$NETNS_DIR" ]]; then
      for f in "$NETNS_DIR/$PREFIX"*; do
        k="${f##*/"$PREFIX"}"
        if [[ -e "$f" && "$k" =~ ^[1-9][0-9]*$ ]]; then printf '%s\n' "$k"; fi
      done
    fi
    for f in "$RUN_ROOT"/lab* "$DATA_ROOT"/lab*; do
      k="${f##*/lab}"
      if [[ -d "$f" && "$k" =~ ^[1-9][0-9]*$ ]]; then printf '%s\n' "$k"; fi
    done
    ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' \
      | sed -n "s/^${PREFIX}\([1-9][0-9]*\)h\$/\1/p"
    { grep -l -a -F "$RUN_ROOT/lab" /proc/[0-9]*/cmdline 2>/dev/null || true; } \
      | while read -r f; do tr '\0' '\n' <"$f" 2>/dev/null || true; done \
      | sed -n "s#^${RUN_ROOT}/lab\([1-9][0-9]*\)/.*#\1#p"
    true
  } | sort -n -u
}

# iptables commands whose filter table gets (up) or may hold (down) our rules.
iptables_backends() { # $1 = up|down
  local mode="$1" default other
  command -v iptables >/dev/null 2>&1 || return 0
  printf 'iptables\n'
  default="$(iptables --version 2>/dev/null || true)"
  if [[ "$default" == *nf_tables* ]]; then
    other=iptables-legacy
    # Only look at the legacy table if it exists: listing it would create it.
    grep -qx filter /proc/net/ip_tables_names 2>/dev/null || return 0
  else
    other=iptables-nft
  fi
  command -v "$other" >/dev/null 2>&1 || return 0
  if [[ "$mode" == down ]]; then
    printf '%s\n' "$other"
  elif "$other" -S 2>/dev/null | grep -qE '^-P FORWARD DROP|^-N DOCKER-USER$'; then
    printf '%s\n' "$other"
  fi
}

our_rule=(-i "$BRIDGE" -o "$BRIDGE" -m comment --comment "$RULE_COMMENT" -j ACCEPT)

# Prints "backend chain" for every rule of ours still present.
find_rules() {
  local ipt chain
  while read -r ipt; do
    for chain in FORWARD DOCKER-USER; do
      if "$ipt" -S "$chain" 2>/dev/null | grep -qE -- "--comment $RULE_COMMENT( |\$)"; then
        printf '%s %s\n' "$ipt" "$chain"
      fi
    done
  done < <(iptables_backends down)
}

lab_exists() {
  [[ -n "$(discover_nodes)" ]] && return 0
  link_exists "$BRIDGE" && return 0
  [[ -n "$(find_rules)" ]] && return 0
  [[ -d "$RUN_ROOT" || -d "$DATA_ROOT" ]]
}

# --- processes --------------------------------------------------------------------

pid_alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# The dockerd of node K: the pidfile's pid if that process names the node's
# socket, else any dockerd whose command line does.
dockerd_pid() {
  local k="$1" pid="" f sock
  sock="$(run_dir "$k")/docker.sock"
  if [[ -r "$(node_pidfile "$k")" ]]; then
    pid="$(cat "$(node_pidfile "$k")" 2>/dev/null || true)"
    if is_uint "$pid" && pid_alive "$pid" && [[ "$(cmdline_of "$pid")" == *"$sock"* ]]; then
      printf '%s' "$pid"
      return 0
    fi
  fi
  while read -r f; do
    pid="${f#/proc/}"
    pid="${pid%/cmdline}"
    if [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == dockerd ]]; then
      printf '%s' "$pid"
      return 0
    fi
  done < <(grep -l -a -F "$sock" /proc/[0-9]*/cmdline 2>/dev/null || true)
  return 1
}

# Pids that belong to node K (one a line, never this script): processes in its
# network namespace, processes whose command line names its directories, and
# the processes of the containers recorded in its data root.
node_pids() {
  local k="$1" f pid id cg self="$BASHPID"
  {
    if ns_exists "$k"; then
      ip netns pids "$(ns_name "$k")" 2>/dev/null || true
    fi
    { grep -l -a -F -e "$(run_dir "$k")/" -e "$(data_dir "$k")/" /proc/[0-9]*/cmdline 2>/dev/null || true; } \
      | sed 's#^/proc/\([0-9]*\)/cmdline$#\1#' 
    for f in "$(data_dir "$k")"/docker/containers/*; do
      [[ -d "$f" ]] || continue
      id="${f##*/}"
      for cg in /sys/fs/cgroup/*/docker/"$id"/cgroup.procs /sys/fs/cgroup/docker/"$id"/cgroup.procs; do
        if [[ -r "$cg" ]]; then cat "$cg" 2>/dev/null || true; fi
      done
    done
    true
  } | sort -n -u | while read -r pid; do
    if [[ "$pid" != "$$" && "$pid" != "$self" ]] && is_uint "$pid"; then printf '%s\n' "$pid"; fi
  done
}

# Processes in node K's namespace that are not Docker's: those started with
# `lab.sh exec` (an agent, ...).
node_user_pids() {
  local k="$1" pid comm
  ns_exists "$k" || return 0
  ip netns pids "$(ns_name "$k")" 2>/dev/null | while read -r pid; do
    [[ "$pid" == "$$" ]] && continue
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    case "$comm" in
      dockerd | containerd | containerd-shim* | docker-proxy | runc | "") ;;
      *) printf '%s\n' "$pid" ;;
    esac
  done
}

# Sends SIG to the pids on stdin, waits up to SECS for them to go.
# Prints the pids still alive afterwards.
signal_and_wait() { # SIG SECS
  local sig="$1" secs="$2" pids=() pid i alive=()
  while read -r pid; do
    if is_uint "$pid"; then pids+=("$pid"); fi
  done
  [[ ${#pids[@]} -gt 0 ]] || return 0
  kill "-$sig" "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i <= secs * 10; i++)); do
    alive=()
    for pid in "${pids[@]}"; do
      pid_alive "$pid" && alive+=("$pid")
    done
    [[ ${#alive[@]} -eq 0 ]] && return 0
    ((i < secs * 10)) && sleep 0.1
  done
  printf '%s\n' "${alive[@]+"${alive[@]}"}"
}

# --- mounts ----------------------------------------------------------------------------

# Mount points at or under the given directories, deepest first.
mounts_under() {
  local mp d
  while read -r _ mp _; do
    mp="$(printf '%b' "$mp")" # /proc/mounts escapes spaces etc. as \040
    for d in "$@"; do
      if [[ "$mp" == "$d" || "$mp" == "$d"/* ]]; then
        printf '%s\t%s\n' "${#mp}" "$mp"
      fi
    done
  done </proc/mounts | sort -rn | cut -f2- | awk '!seen[$0]++'
}

unmount_under() {
  local pass mp
  for pass in 1 2 3; do
    local left=0
    while read -r mp; do
      [[ -n "$mp" ]] || continue
      left=1
      if [[ $pass -lt 3 ]]; then
        umount "$mp" 2>/dev/null || true
      else
        umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || true
      fi
    done < <(mounts_under "$@")
    [[ $left -eq 0 ]] && return 0
  done
  [[ -z "$(mounts_under "$@")" ]]
}

# --- down --------------------------------------------------------------------------

down_node() {
  local k="$1" name="lab$1" pid ids left
  # 1. Processes started in the node with `exec` (an agent would otherwise
  #    start containers again while we remove them).
  left="$(node_user_pids "$k" | signal_and_wait TERM 5)"
  if [[ -n "$left" ]]; then
    warn "$name: SIGKILL to $(tr '\n' ' ' <<<"$left")(no exit 5 s after SIGTERM)"
    signal_and_wait KILL 2 <<<"$left" >/dev/null
  fi
  # 2. Containers, while the engine answers.
  pid="$(dockerd_pid "$k" || true)"
  if [[ -n "$pid" ]] && timeout 10 docker -H "$(node_sock "$k")" version >/dev/null 2>&1; then
    ids="$(timeout 20 docker -H "$(node_sock "$k")" ps -aq 2>/dev/null || true)"
    if [[ -n "$ids" ]]; then
      # shellcheck disable=SC2086 # one id a word
      timeout 120 docker -H "$(node_sock "$k")" rm -f $ids >/dev/null 2>&1 \
        || warn "$name: docker rm -f did not remove all containers"
    fi
  fi
  # 3. dockerd.
  if [[ -n "$pid" ]]; then
    left="$(signal_and_wait TERM 20 <<<"$pid")"
    if [[ -n "$left" ]]; then
      warn "$name: dockerd (pid $pid) still runs 20 s after SIGTERM; SIGKILL"
      signal_and_wait KILL 5 <<<"$pid" >/dev/null
    fi
  fi
  # 4. Whatever is left: containerd, shims, docker-proxy, container processes.
  left="$(node_pids "$k")"
  if [[ -n "$left" ]]; then
    log "$name: SIGKILL to leftover processes: $(while read -r p; do printf '%s(%s) ' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)"; done <<<"$left")"
    left="$(signal_and_wait KILL 5 <<<"$left")"
    # Container processes reaped by their shims may show up one round later.
    left="$(node_pids "$k" | signal_and_wait KILL 5)"
    [[ -z "$left" ]] || warn "$name: processes survive SIGKILL: $(tr '\n' ' ' <<<"$left")"
  fi
  # Empty cgroups of containers the engine did not get to clean up.
  local f id cg
  for f in "$(data_dir "$k")"/docker/containers/*; do
    [[ -d "$f" ]] || continue
    id="${f##*/}"
    for cg in /sys/fs/cgroup/*/docker/"$id" /sys/fs/cgroup/docker/"$id"; do
      if [[ -d "$cg" ]]; then rmdir "$cg" 2>/dev/null || true; fi
    done
  done
  # 5. Mounts (overlay layers, container netns and shm, the overlay2 bind).
  unmount_under "$(run_dir "$k")" "$(data_dir "$k")" \
    || warn "$name: still mounted: $(mounts_under "$(run_dir "$k")" "$(data_dir "$k")" | tr '\n' ' ')"
  # 6. Network.
  if ns_exists "$k"; then
    ip netns delete "$(ns_name "$k")" 2>/dev/null || warn "$name: ip netns delete $(ns_name "$k") failed"
  fi
  if link_exists "$(host_veth "$k")"; then
    ip link delete "$(host_veth "$k")" 2>/dev/null || true
  fi
  # 7. Files (never across a mount point).
  local d
  for d in "$(run_dir "$k")" "$(data_dir "$k")"; do
    [[ -e "$d" ]] || continue
    if [[ -z "$(mounts_under "$d")" ]]; then
      rm -rf --one-file-system "$d" || warn "$name: could not remove $d"
    fi
  done
}

# Prints what is left of the lab, one item a line.
leftovers() {
  local k
  for k in $(discover_nodes); do
    if ns_exists "$k"; then printf 'namespace %s\n' "$(ns_name "$k")"; fi
    if link_exists "$(host_veth "$k")"; then printf 'link %s\n' "$(host_veth "$k")"; fi
    if [[ -e "$(run_dir "$k")" ]]; then printf 'directory %s\n' "$(run_dir "$k")"; fi
    if [[ -e "$(data_dir "$k")" ]]; then printf 'directory %s\n' "$(data_dir "$k")"; fi
    node_pids "$k" | while read -r p; do printf 'process %s (%s)\n' "$p" "$(cat "/proc/$p/comm" 2>/dev/null || true)"; done
  done
  if link_exists "$BRIDGE"; then printf 'link %s\n' "$BRIDGE"; fi
  find_rules | sed 's/^/iptables rule in /'
  mounts_under "$RUN_ROOT" "$DATA_ROOT" | sed 's/^/mount /'
  true
}

do_down() {
  local k pids=() nodes started=$SECONDS
  nodes="$(discover_nodes | tr '\n' ' ')"
  if [[ -z "$nodes" ]] && ! link_exists "$BRIDGE" && [[ -z "$(find_rules)" ]] \
    && [[ ! -d "$RUN_ROOT" && ! -d "$DATA_ROOT" ]]; then
    log "no lab found; nothing to do"
    return 0
  fi
  log "taking down nodes: ${nodes:-none}"
  for k in $nodes; do
    down_node "$k" || true &
    pids+=($!)
  done
  for k in "${pids[@]}"; do wait "$k" || true; done
  # The switch and the firewall rules.
  if link_exists "$BRIDGE"; then
    ip link delete "$BRIDGE" 2>/dev/null || warn "could not delete bridge $BRIDGE"
  fi
  local ipt chain
  while read -r ipt chain; do
    [[ -n "$ipt" ]] || continue
    while "$ipt" -D "$chain" "${our_rule[@]}" 2>/dev/null; do :; done
    # A rule of ours that does not match our_rule exactly (edited by hand):
    # delete it by its spec as listed.
    while read -r spec; do
      [[ -n "$spec" ]] || continue
      local words=()
      read -r -a words <<<"${spec#-A "$chain" }"
      "$ipt" -D "$chain" "${words[@]}" 2>/dev/null || break
    done < <("$ipt" -S "$chain" 2>/dev/null | grep -E -- "--comment $RULE_COMMENT( |\$)" || true)
  done < <(find_rules)
  # Leftover unmounts (e.g. a node directory whose number we could not parse).
  unmount_under "$RUN_ROOT" "$DATA_ROOT" || true
  rmdir "$RUN_ROOT" "$DATA_ROOT" 2>/dev/null || true
  # `ip netns add` bind-mounts /run/netns onto itself; undo that when no
  # namespace at all (ours or anyone's) is left in it.
  if [[ -d "$NETNS_DIR" ]] && [[ -z "$(ls -A "$NETNS_DIR" 2>/dev/null)" ]] \
    && grep -qE "^[^ ]+ ($NETNS_DIR|/run/netns) " /proc/mounts; then
    if umount "$NETNS_DIR" 2>/dev/null; then rmdir "$NETNS_DIR" 2>/dev/null || true; fi
  fi
  local rest
  rest="$(leftovers)"
  if [[ -n "$rest" ]]; then
    printf '[%s] ERROR: down left these behind:\n%s\n' "$NAME" "$rest" >&2
    return 1
  fi
  log "lab is down ($((SECONDS - started)) s)"
}

# --- up ----------------------------------------------------------------------------

route_conflict() { # prints host routes that fall into the lab's ranges
  ip -4 route show table all 2>/dev/null \
    | grep -E '^(local |broadcast )?(10\.77\.0\.|172\.30\.)' \
    | grep -v -F "dev $BRIDGE" || true
}

setup_node_network() {
  local k="$1" ns veth
  ns="$(ns_name "$k")"
  veth="$(host_veth "$k")"
  ip netns add "$ns"
  ip link add "$veth" type veth peer name eth0 netns "$ns"
  ip link set "$veth" master "$BRIDGE"
  ip link set "$veth" up
  in_ns "$k" ip link set lo up
  in_ns "$k" ip addr add "$(node_addr "$k")/24" dev eth0
  in_ns "$k" ip link set eth0 up
  in_ns "$k" ip route add default via "${BRIDGE_ADDR%/*}"
  in_ns "$k" sysctl -q -w net.ipv4.ip_forward=1
}

start_dockerd() {
  local k="$1" args extra
  mkdir -p "$(run_dir "$k")/exec" "$(data_dir "$k")/docker" "$LOG_DIR"
  printf '{ "deprecated-key-path": "%s/key.json" }\n' "$(data_dir "$k")" >"$(run_dir "$k")/daemon.json"
  args=(
    -H "$(node_sock "$k")"
    --pidfile "$(node_pidfile "$k")"
    --exec-root "$(run_dir "$k")/exec"
    --data-root "$(data_dir "$k")/docker"
    --config-file "$(run_dir "$k")/daemon.json"
    --bip "172.30.$k.1/24"
  )
  if [[ -n "${LAB_DOCKERD_EXTRA_ARGS:-}" ]]; then
    read -r -a extra <<<"$LAB_DOCKERD_EXTRA_ARGS"
    args+=("${extra[@]}")
  fi
  printf '\n==== %s: lab.sh starting dockerd %s ====\n' "$(date -u +%FT%TZ)" "${args[*]}" >>"$(node_log "$k")"
  # nsenter, not `ip netns exec`: the latter remounts /sys in a new mount
  # namespace and dockerd then fails with "Devices cgroup isn't mounted".
  # New session, no inherited stdio: the daemon outlives this script.
  # 9>&-: the daemon must not inherit (and hold forever) the lock.
  setsid nohup nsenter --net="$(ns_path "$k")" -- dockerd "${args[@]}" \
    </dev/null >>"$(node_log "$k")" 2>&1 9>&- &
}

# Waits until every node's engine answers; fails naming the ones that do not.
wait_engines() {
  local begun=$SECONDS k pending=("$@") still
  while ((${#pending[@]} > 0)); do
    still=()
    for k in "${pending[@]}"; do
      if timeout 10 docker -H "$(node_sock "$k")" version >/dev/null 2>&1; then
        continue
      fi
      # Give nsenter a moment to become dockerd before looking for it.
      if ((SECONDS - begun >= 3)) && ! dockerd_pid "$k" >/dev/null; then
        printf '[%s] ---- %s since this start (last 20 lines) ----\n' "$NAME" "$(node_log "$k")" >&2
        awk '/^==== .* lab.sh starting dockerd/ { n = 0 } { buf[n++] = $0 } END { for (i = (n > 20 ? n - 20 : 0); i < n; i++) print buf[i] }' \
          "$(node_log "$k")" >&2 || true
        fail_up "dockerd of lab$k exited during startup (log: $(node_log "$k"))"
      fi
      still+=("$k")
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]} > 0)) || break
    if ((SECONDS - begun >= TIMEOUT)); then
      fail_up "no answer within ${TIMEOUT}s from: $(printf 'lab%s ' "${pending[@]}")(logs in $LOG_DIR)"
    fi
    sleep 0.5
  done
}

# While `up` builds, any exit (error, fail_up, Ctrl-C) takes the half-built lab
# down again.
UP_IN_PROGRESS=false
IMAGE_TAR=""
fail_up() {
  printf '[%s] ERROR: %s\n' "$NAME" "$*" >&2
  exit 1
}

on_up_exit() {
  local rc=$?
  if [[ "$UP_IN_PROGRESS" == true ]]; then
    UP_IN_PROGRESS=false
    [[ -z "$IMAGE_TAR" ]] || rm -f "$IMAGE_TAR"
    printf '[%s] up failed (exit %s); removing the half-built lab (logs stay in %s)\n' "$NAME" "$rc" "$LOG_DIR" >&2
    do_down >&2 || true
    [[ $rc -ne 0 ]] || rc=1
  fi
  exit "$rc"
}

do_up() {
  local n="$1"
  shift
  local images=("$@") img started=$SECONDS k
  require_root "up"
  require_commands ip nsenter setsid nohup dockerd docker iptables sysctl flock timeout
  take_lock

  # Images: check before building anything.
  if [[ ${#images[@]} -eq 0 ]]; then
    if timeout 15 docker -H "$HOST_DOCKER" version >/dev/null 2>&1; then
      for img in "${DEFAULT_IMAGES[@]}"; do
        if docker -H "$HOST_DOCKER" image inspect "$img" >/dev/null 2>&1; then
          images+=("$img")
        else
          warn "default image $img is not on the host engine; not copying it (scripts/test-images.sh builds it)"
        fi
      done
    else
      warn "host engine $HOST_DOCKER does not answer; the nodes get no images"
    fi
  else
    timeout 15 docker -H "$HOST_DOCKER" version >/dev/null 2>&1 \
      || die "host engine $HOST_DOCKER does not answer; cannot copy images ${images[*]}"
    for img in "${images[@]}"; do
      docker -H "$HOST_DOCKER" image inspect "$img" >/dev/null 2>&1 \
        || die "image $img is not on the host engine $HOST_DOCKER"
    done
  fi

  if lab_exists; then
    log "a lab exists already; taking it down first"
    do_down || die "could not take down the existing lab"
  fi

  local conflict
  conflict="$(route_conflict)"
  [[ -z "$conflict" ]] || die "the host already routes into the lab's ranges (10.77.0.0/24, 172.30.0.0/16):
$conflict"
  if [[ -S /run/containerd/containerd.sock ]]; then
    warn "a system containerd runs (/run/containerd/containerd.sock): dockerd 20.10 uses it, so the nodes share one containerd"
  fi

  UP_IN_PROGRESS=true
  trap on_up_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  log "bridge $BRIDGE $BRIDGE_ADDR"
  ip link add "$BRIDGE" type bridge
  ip addr add "$BRIDGE_ADDR" dev "$BRIDGE"
  ip link set "$BRIDGE" up

  local ipt
  while read -r ipt; do
    "$ipt" -I FORWARD 1 "${our_rule[@]}"
    if "$ipt" -S DOCKER-USER >/dev/null 2>&1; then
      "$ipt" -I DOCKER-USER 1 "${our_rule[@]}"
    fi
    log "$ipt: ACCEPT $BRIDGE -> $BRIDGE in FORWARD$("$ipt" -S DOCKER-USER >/dev/null 2>&1 && printf ' and DOCKER-USER')"
  done < <(iptables_backends up)

  for ((k = 1; k <= n; k++)); do
    setup_node_network "$k"
    start_dockerd "$k"
    log "lab$k: namespace $(ns_name "$k"), eth0 $(node_addr "$k")/24, docker0 172.30.$k.1/24, dockerd starting"
  done
  local all=()
  for ((k = 1; k <= n; k++)); do all+=("$k"); done
  wait_engines "${all[@]}"
  log "all $n engines answer ($((SECONDS - started)) s)"

  if [[ ${#images[@]} -gt 0 ]]; then
    local jobs=() failed=false
    IMAGE_TAR="$(mktemp "$DATA_ROOT/images.XXXXXX.tar")"
    docker -H "$HOST_DOCKER" save -o "$IMAGE_TAR" "${images[@]}"
    for ((k = 1; k <= n; k++)); do
      docker -H "$(node_sock "$k")" load -q -i "$IMAGE_TAR" >/dev/null &
      jobs+=($!)
    done
    for k in "${jobs[@]}"; do wait "$k" || failed=true; done
    rm -f "$IMAGE_TAR"
    IMAGE_TAR=""
    [[ "$failed" == false ]] || fail_up "docker load into a node failed"
    log "images copied into every node: ${images[*]}"
  fi

  UP_IN_PROGRESS=false
  trap - EXIT INT TERM
  log "lab is up: $n nodes in $((SECONDS - started)) s"
  print_status || true
  log "use: eval \"\$($0 env K)\"   or   $0 exec K CMD..."
}

# --- status / env / exec -------------------------------------------------------------------

print_status() {
  local k nodes addr pid answers containers rc=0
  nodes="$(discover_nodes)"
  if [[ -z "$nodes" ]]; then
    if link_exists "$BRIDGE" || [[ -n "$(find_rules)" ]]; then
      log "no nodes, but remains of a lab exist ($0 down removes them)"
    else
      log "no lab is up"
    fi
    return 1
  fi
  printf '%-6s %-12s %-8s %-8s %s\n' NODE ADDRESS DOCKERD ANSWERS CONTAINERS
  for k in $nodes; do
    addr="-"
    if ns_exists "$k"; then
      addr="$(in_ns "$k" ip -4 -o addr show dev eth0 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4; exit }')"
      addr="${addr:--}"
    fi
    pid="$(dockerd_pid "$k" || true)"
    answers=no
    containers="-"
    if [[ -n "$pid" ]] && timeout 5 docker -H "$(node_sock "$k")" version >/dev/null 2>&1; then
      answers=yes
      containers="$(timeout 10 docker -H "$(node_sock "$k")" ps -q 2>/dev/null | grep -c . || true)/$(timeout 10 docker -H "$(node_sock "$k")" ps -aq 2>/dev/null | grep -c . || true)"
    else
      rc=1
    fi
    printf '%-6s %-12s %-8s %-8s %s\n' "lab$k" "$addr" "${pid:--}" "$answers" "$containers"
  done
  return "$rc"
}

do_env() {
  local k="$1"
  ns_exists "$k" || die "node lab$k does not exist ($0 status)"
  printf 'export DOCKER_HOST=%s\n' "$(node_sock "$k")"
  printf 'export LAB_NODE=lab%s\n' "$k"
  printf 'export LAB_ADDR=%s\n' "$(node_addr "$k")"
}

do_exec() {
  local k="$1"
  shift
  require_root "exec"
  ns_exists "$k" || die "node lab$k does not exist ($0 status)"
  DOCKER_HOST="$(node_sock "$k")" LAB_NODE="lab$k" LAB_ADDR="$(node_addr "$k")" \
    exec nsenter --net="$(ns_path "$k")" -- "$@"
}

# --- engine faults -------------------------------------------------------------------------

do_engine_stop() {
  local k="$1" pid started left
  ns_exists "$k" || die "node lab$k does not exist ($0 status)"
  pid="$(dockerd_pid "$k")" || die "lab$k: no dockerd runs"
  started="$(date +%s%N)"
  left="$(signal_and_wait TERM "$TIMEOUT" <<<"$pid")"
  if [[ -n "$left" ]]; then
    warn "lab$k: dockerd (pid $pid) still runs ${TIMEOUT} s after SIGTERM; SIGKILL"
    [[ -z "$(signal_and_wait KILL 5 <<<"$pid")" ]] || die "lab$k: dockerd (pid $pid) survives SIGKILL"
  fi
  log "lab$k: dockerd (pid $pid) stopped in $(( ($(date +%s%N) - started) / 1000000 )) ms"
}

do_engine_start() {
  local k="$1" started pid
  ns_exists "$k" || die "node lab$k does not exist ($0 status)"
  if pid="$(dockerd_pid "$k")"; then
    die "lab$k: dockerd runs already (pid $pid)"
  fi
  started="$(date +%s%N)"
  start_dockerd "$k"
  wait_engines "$k"
  log "lab$k: dockerd (pid $(dockerd_pid "$k" || printf '?')) answers $(( ($(date +%s%N) - started) / 1000000 )) ms after its start"
}

# --- main ------------------------------------------------------------------------------

[[ $# -ge 1 ]] || usage_error "missing command"
cmd="$1"
shift
case "$cmd" in
  up)
    [[ $# -ge 1 ]] || usage_error "up: missing N"
    if ! is_uint "$1" || ((10#$1 < 1 || 10#$1 > MAX_NODES)); then
      usage_error "up: N must be a number 1..$MAX_NODES, got '$1'"
    fi
    n=$((10#$1))
    shift
    imgs=()
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --image)
          [[ $# -ge 2 && -n "$2" ]] || usage_error "up: --image needs an image name"
          imgs+=("$2")
          shift 2
          ;;
        --image=*)
          [[ -n "${1#--image=}" ]] || usage_error "up: --image needs an image name"
          imgs+=("${1#--image=}")
          shift
          ;;
        *) usage_error "up: unknown argument '$1'" ;;
      esac
    done
    do_up "$n" "${imgs[@]+"${imgs[@]}"}"
    ;;
  down)
    [[ $# -eq 0 ]] || usage_error "down takes no arguments"
    require_root "down"
    require_commands ip nsenter docker flock timeout
    take_lock
    # Best effort: errexit off inside, so one failing step does not stop the
    # rest; do_down ends by listing whatever is left (exit 1).
    if do_down; then exit 0; else exit 1; fi
    ;;
  status)
    [[ $# -eq 0 ]] || usage_error "status takes no arguments"
    require_root "status"
    print_status
    ;;
  env)
    [[ $# -eq 1 ]] || usage_error "env: expected exactly one node number"
    k="$(parse_node "$1")"
    do_env "$k"
    ;;
  exec)
    [[ $# -ge 2 ]] || usage_error "exec: expected a node number and a command"
    k="$(parse_node "$1")"
    shift
    do_exec "$k" "$@"
    ;;
  engine-stop | engine-start)
    [[ $# -eq 1 ]] || usage_error "$cmd: expected exactly one node number"
    k="$(parse_node "$1")"
    require_root "$cmd"
    require_commands nsenter setsid nohup dockerd docker flock timeout
    take_lock
    if [[ "$cmd" == engine-stop ]]; then do_engine_stop "$k"; else do_engine_start "$k"; fi
    ;;
  -h | --help | help)
    sed -n '2,/^set -euo pipefail$/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    ;;
  *) usage_error "unknown command '$cmd'" ;;
esac
