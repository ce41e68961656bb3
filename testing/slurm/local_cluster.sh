#!/usr/bin/env bash
# A private single-node Slurm cluster under one directory, for tests and for
# trying campaigns by hand. Nothing system-wide is used or touched: munged gets
# its own key, socket, pid, log and seed files; slurmctld and slurmd get their
# own slurm.conf, ports, state, spool, pid and log files. Two clusters can run
# side by side on one machine.
#
# Usage:
#   local_cluster.sh start DIR   create DIR (must not exist or be empty), start
#                                munged, slurmctld and slurmd, wait until the
#                                node is idle; prints "SLURM_CONF=DIR/slurm.conf"
#   local_cluster.sh stop DIR    cancel the jobs, stop the three daemons by their
#                                pid files, then kill every process that still
#                                carries this cluster's marker (job steps)
#   local_cluster.sh procs DIR   list the PIDs still carrying the marker
#
# Needs root (slurmd runs jobs as their submitter and starts munged as user
# munge), and Debian's slurm-wlm and munge (22.05). Fails with the reason when
# either is missing; never degrades silently.
#
# Every process the cluster starts inherits P2PQUIC_LOCAL_CLUSTER=DIR (the
# daemons from this script, slurmstepd from slurmd, the jobs from slurmstepd):
# that marker is how `stop` finds job processes that proctrack/linuxproc
# leaves behind when slurmd is gone, without ever matching by process name.
set -euo pipefail
# The daemons live in /usr/sbin, which a non-login PATH (Bazel's test
# environment) does not hold.
export PATH="$PATH:/usr/sbin:/sbin"

# Bounds on every wait, in tenths of a second.
readonly kStartWaitTenths=600    # daemons up and node idle: 60 s
readonly kStopWaitTenths=100     # a daemon exits after SIGTERM: 10 s
readonly kJobsDrainTenths=100    # jobs gone after scancel: 10 s

die() {
  echo "local_cluster: $*" >&2
  exit 1
}

usage() {
  sed -n '9,18p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

require_tools() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (slurmd runs jobs as their submitter; munged is started as user munge); running as uid $(id -u)"
  local tool
  for tool in munged slurmctld slurmd sinfo squeue scancel runuser python3; do
    command -v "$tool" >/dev/null ||
      die "'$tool' not found on PATH; install Debian's slurm-wlm and munge (listed in bazel/debian-packages.txt)"
  done
  id munge >/dev/null 2>&1 || die "user 'munge' does not exist; install Debian's munge package"
}

# Prints N TCP ports that were free on 127.0.0.1 a moment ago (bound at once,
# so they differ from each other).
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# wait_for TENTHS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s.
wait_for() {
  local tenths=$1 what=$2
  shift 2
  local i
  for ((i = 0; i < tenths; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "local_cluster: timed out after $((tenths / 10)) s waiting for $what" >&2
  return 1
}

pid_alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

pid_from() {
  if [[ -s "$1" ]]; then tr -dc '0-9' <"$1"; fi
}

queue_empty() { [[ -z "$(squeue -h 2>/dev/null)" ]]; }

node_idle() { [[ "$(sinfo -h -N -o '%t' 2>/dev/null)" == "idle" ]]; }

# PIDs of this cluster: processes that carry the marker in their environment
# or have their working directory or an open file inside DIR (slurmstepd
# starts with a clean environment but keeps the slurmd log open), and all
# their descendants (the job's processes, whatever their environment). This
# script, its ancestors and its own children are never counted.
marked_pids() {
  python3 - "$1" "$$" <<'EOF'
import os, sys
root, script = sys.argv[1].rstrip("/"), int(sys.argv[2])
inside = lambda p: p == root or p.startswith(root + "/")
parent, seeds = {}, set()
for name in os.listdir("/proc"):
    if not name.isdigit():
        continue
    pid, base = int(name), "/proc/" + name
    try:
        with open(base + "/stat") as f:
            parent[pid] = int(f.read().rsplit(")", 1)[1].split()[1])
        with open(base + "/environ", "rb") as f:
            marked = ("P2PQUIC_LOCAL_CLUSTER=" + root).encode() in f.read().split(b"\0")
        marked |= inside(os.readlink(base + "/cwd"))
        for fd in os.listdir(base + "/fd"):
            marked |= inside(os.readlink(base + "/fd/" + fd))
    except (OSError, ValueError, IndexError):
        continue  # gone meanwhile, or not ours to read
    if marked:
        seeds.add(pid)
def descendants(roots):
    found, grew = set(roots), True
    while grew:
        grew = False
        for pid, ppid in parent.items():
            if ppid in found and pid not in found:
                found.add(pid)
                grew = True
    return found
mine, pid = descendants({script}), parent.get(script)
while pid is not None and pid > 1:  # the ancestors, up to init
    mine.add(pid)
    pid = parent.get(pid)
found = descendants(seeds - mine) - mine
print("\n".join(str(p) for p in sorted(found)))
EOF
}

dump_logs() {
  local dir=$1 log
  for log in "$dir"/log/*.log "$dir"/munge/private/munged.log; do
    [[ -f "$log" ]] || continue
    echo "---- last lines of $log" >&2
    tail -n 20 "$log" >&2
  done
}

cmd_start() {
  local dir=$1
  require_tools
  if [[ -e "$dir" && -n "$(ls -A "$dir")" ]]; then die "$dir exists and is not empty"; fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # munged (user munge) must reach its files; it refuses group/world-writable
  # directories on the way to its key and socket.
  chmod 0755 "$dir"
  # munge/ holds the socket, which every client must reach (0755);
  # munge/private/ the key, seed, pid and log (0700).
  mkdir -p "$dir/munge/private" "$dir/state" "$dir/spool" "$dir/log"
  chown -R munge:munge "$dir/munge"
  chmod 0755 "$dir/munge"
  chmod 0700 "$dir/munge/private"
  local private="$dir/munge/private"
  head -c 1024 /dev/urandom >"$private/munge.key"
  chown munge:munge "$private/munge.key"
  chmod 0400 "$private/munge.key"

  export P2PQUIC_LOCAL_CLUSTER="$dir"
  local socket="$dir/munge/munge.socket"
  runuser -u munge -- munged --socket="$socket" --key-file="$private/munge.key" \
    --pid-file="$private/munged.pid" --log-file="$private/munged.log" \
    --seed-file="$private/munged.seed" ||
    { cat "$private/munged.log" >&2 2>/dev/null; die "munged did not start"; }
  wait_for "$kStartWaitTenths" "the munge socket $socket" test -S "$socket" ||
    die "munged did not create its socket"

  local host cpus ctld_port slurmd_port
  host=$(hostname -s)
  cpus=$(nproc)
  read -r ctld_port slurmd_port < <(free_ports 2)
  cat >"$dir/slurm.conf" <<EOF
# Generated by testing/slurm/local_cluster.sh: a private one-node cluster.
ClusterName=p2pquic
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups and no systemd here: track job processes through /proc.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
# No slurmdbd: results are collected from files, not from sacct.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
# Keep finished jobs visible to 'scontrol show job' for 5 minutes.
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=campaign Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$SLURM_CONF" || { dump_logs "$dir"; die "slurmctld did not start"; }
  slurmd -f "$SLURM_CONF" || { dump_logs "$dir"; die "slurmd did not start"; }
  if ! wait_for "$kStartWaitTenths" "node $host idle in sinfo" node_idle; then
    sinfo -N >&2 || true
    dump_logs "$dir"
    die "the cluster in $dir did not come up"
  fi
  echo "SLURM_CONF=$SLURM_CONF"
}

# Sends SIGTERM to the daemons named by the pid files at once (slurmctld and
# munged each take about 2 s to exit), then waits for each and SIGKILLs
# whichever outlives the bound.
stop_pid_files() {
  local file pid pids=()
  for file in "$@"; do
    pid=$(pid_from "$file")
    pid_alive "$pid" || continue
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
  done
  for pid in "${pids[@]}"; do
    if ! wait_for "$kStopWaitTenths" "pid $pid to exit" bash -c "! kill -0 $pid"; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

cmd_stop() {
  local dir=$1
  [[ -d "$dir" ]] || return 0
  dir=$(cd "$dir" && pwd)
  if [[ -f "$dir/slurm.conf" ]]; then
    export SLURM_CONF="$dir/slurm.conf"
    if pid_alive "$(pid_from "$dir/slurmctld.pid")"; then
      scancel --user=root --quiet 2>/dev/null || true
      wait_for "$kJobsDrainTenths" "jobs to leave the queue" \
        queue_empty || true
    fi
  fi
  stop_pid_files "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/private/munged.pid"
  # Whatever still carries the marker (job steps proctrack/linuxproc did not
  # reap, a daemon that lost its pid file) goes too, by PID.
  local pid
  local left i
  for ((i = 0; i < kStopWaitTenths; i++)); do
    left=$(marked_pids "$dir" | paste -sd ' ')
    [[ -z "$left" ]] && break
    for pid in $left; do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.1
  done
  [[ -z "$left" ]] || die "processes of the cluster in $dir survived stop: $left"
}

[[ $# -eq 2 ]] || usage
case "$1" in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" ;;
  procs) marked_pids "$(cd "$2" && pwd)" ;;
  *) usage ;;
esac
