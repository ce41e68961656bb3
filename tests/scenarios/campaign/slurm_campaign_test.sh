#!/usr/bin/env bash
# A campaign on a real Slurm cluster, end to end: starts a private one-node
# cluster (munged, slurmctld, slurmd; testing/slurm/local_cluster.sh), runs a
# 4-shard, 40-case campaign with the planted canary property through
# run-campaign.sh --wait, and checks that
#   - every shard left its summary and the merged report counts exactly the
#     40 cases,
#   - the canary failure is reported exactly once (one signature, however
#     many shards met it), with a shrunk file that exists,
#   - the replay command the report prints, run as printed, fails with the
#     canary's signature,
#   - stopping the cluster leaves none of its processes behind.
# Needs root and Debian's slurm-wlm and munge; without them it FAILS with the
# reason (never skips).
#
# Usage: slurm_campaign_test.sh SIM RUN_CAMPAIGN LOCAL_CLUSTER
set -uo pipefail
# munged, slurmctld and slurmd live in /usr/sbin; Bazel's strict test PATH
# holds only /bin:/usr/bin:/usr/local/bin.
export PATH="$PATH:/usr/sbin:/sbin"

readonly kCases=40
readonly kShards=4
readonly kCanarySignature="canary:migration"
readonly kCampaignWaitSeconds=600

sim=$(realpath "$1")
run_campaign=$(realpath -s "$2")
local_cluster=$(realpath -s "$3")
outputs="${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}"
passed=0
failed=0

check() { # check NAME COMMAND...
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name" >&2
  fi
}

abort() {
  echo "FAILED: $*" >&2
  exit 1
}

# Preconditions, each a failure with its reason.
[[ $(id -u) -eq 0 ]] || abort "this test starts slurmd and munged and must run as root (uid is $(id -u))"
for tool in munged slurmctld slurmd sbatch squeue scontrol sinfo python3; do
  command -v "$tool" >/dev/null ||
    abort "'$tool' is missing: install Debian's slurm-wlm and munge (bazel/debian-packages.txt lists them)"
done

# 0. Bad arguments are refused with exit 2 and a message naming the argument,
# before anything is submitted.
bad_args() { # bad_args EXPECTED-WORD ARGS...
  local word=$1 err status
  shift
  err=$("$run_campaign" "$@" 2>&1 >/dev/null)
  status=$?
  [[ $status -eq 2 && "$err" == *"$word"* ]] || { echo "exit $status: $err" >&2; return 1; }
}
check "run-campaign refuses a missing --sim" bad_args "--sim" --cases 4 --shards 2 --out "$outputs/x"
check "run-campaign refuses --cases abc" bad_args "--cases" --sim "$sim" --cases abc --shards 2 --out "$outputs/x"
check "run-campaign refuses more shards than cases" bad_args "--shards 5" --sim "$sim" --cases 4 --shards 5 --out "$outputs/x"
check "run-campaign refuses an unknown flag" bad_args "--bogus" --sim "$sim" --bogus

# The cluster lives outside TEST_TMPDIR: munged runs as user munge, which
# cannot enter root's home where Bazel keeps the test's temporary directory.
cluster=$(mktemp -d /tmp/p2pquic-slurm-test.XXXXXX)
cleanup() {
  "$local_cluster" stop "$cluster" >/dev/null 2>&1 || true
  mkdir -p "$outputs/cluster-logs"
  cp -r "$cluster/log/." "$outputs/cluster-logs/" 2>/dev/null || true
  cp "$cluster/munge/private/munged.log" "$outputs/cluster-logs/" 2>/dev/null || true
  rm -rf "$cluster"
}
trap cleanup EXIT

# 1. The cluster comes up.
started=$(date +%s%N)
start_output=$("$local_cluster" start "$cluster") || abort "the local Slurm cluster did not start"
echo "cluster up in $((($(date +%s%N) - started) / 1000000)) ms"
export SLURM_CONF="$cluster/slurm.conf"
check "start prints SLURM_CONF" test "$start_output" = "SLURM_CONF=$SLURM_CONF"
daemon_pids=()
for pid_file in "$cluster/slurmctld.pid" "$cluster/slurmd.pid" "$cluster/munge/private/munged.pid"; do
  pid=$(cat "$pid_file" 2>/dev/null)
  check "$pid_file names a live daemon" kill -0 "${pid:-0}"
  daemon_pids+=("${pid:-0}")
done
check "sinfo shows one idle node" test "$(sinfo -h -N -o '%t')" = "idle"

# 2. The campaign: 4 array tasks, the canary planted, waited for and merged.
out="$outputs/campaign"
started=$(date +%s%N)
"$run_campaign" --sim "$sim" --cases "$kCases" --shards "$kShards" --out "$out" \
  --extra "--canary" --json --wait --wait-timeout "$kCampaignWaitSeconds" --poll 1 \
  >"$outputs/run-campaign.out" 2>"$outputs/run-campaign.err"
status=$?
echo "campaign of $kCases cases in $kShards tasks: $((($(date +%s%N) - started) / 1000000)) ms, exit $status"
check "run-campaign exits 1: the canary is a failure" test "$status" -eq 1
if ((status != 1)); then cat "$outputs/run-campaign.err" >&2; fi
check "run-campaign prints the job id" grep -Eq '^job [0-9]+$' "$outputs/run-campaign.out"
check "run-campaign prints the seed" grep -Eq '^seed [0-9]+$' "$outputs/run-campaign.out"
for ((i = 0; i < kShards; i++)); do
  check "shard $i left a JSON summary" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
    "$out/shard-$i.summary.json"
done
check "the shard summaries together count $kCases cases" python3 - "$kCases" "$out"/shard-*.summary.json <<'EOF'
import json, sys
total = sum(json.load(open(f))["cases"] for f in sys.argv[2:])
assert total == int(sys.argv[1]), f"shards ran {total} cases"
EOF

# 3. The merged report: exactly N cases, the canary once, its file there.
report="$out/report.json"
check "the merged report counts exactly $kCases cases" python3 - "$report" "$kCases" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["cases"] == int(sys.argv[2]), f'report says {report["cases"]} cases'
EOF
check "the merged report names all $kShards shards" python3 - "$report" "$kShards" <<'EOF'
import json, sys
shards = json.load(open(sys.argv[1]))["shards"]
assert len(shards) == int(sys.argv[2]), f"report lists shards {shards}"
EOF
replay_command=$(python3 - "$report" "$kCanarySignature" <<'EOF'
import json, os, sys
failures = json.load(open(sys.argv[1]))["failures"]
canary = [f for f in failures if f["signature"] == sys.argv[2]]
assert len(canary) == 1, f"{len(canary)} entries with the canary's signature in {failures}"
assert len({f["signature"] for f in failures}) == len(failures), "a signature is listed twice"
assert os.path.isfile(canary[0]["file"]), f'shrunk file {canary[0]["file"]} is missing'
print(canary[0]["replay"])
EOF
)
check "the report lists the canary once, with its shrunk file and a replay command" test -n "$replay_command"

# 4. The replay command, exactly as printed, fails with the canary. It
# starts with the bare name `p2pquic-sim`, as a user would have it on PATH.
PATH="$(dirname "$sim"):$PATH"
check "p2pquic-sim on PATH is the binary under test" test "$(command -v p2pquic-sim)" -ef "$sim"
if [[ -n "$replay_command" ]]; then
  replay_output=$(bash -c "$replay_command" 2>&1)
  replay_status=$?
  echo "replay: $replay_command -> exit $replay_status"
  check "the printed replay command exits 1 (fails)" test "$replay_status" -eq 1
  check "the replay names the canary's signature" grep -qF "$kCanarySignature" <<<"$replay_output"
fi

# 5. Stopping leaves nothing behind.
started=$(date +%s%N)
check "stop succeeds" "$local_cluster" stop "$cluster"
echo "cluster stopped in $((($(date +%s%N) - started) / 1000000)) ms"
for pid in "${daemon_pids[@]}"; do
  check "daemon $pid is gone" bash -c "! kill -0 $pid 2>/dev/null"
done
check "no process of the cluster is left" test -z "$("$local_cluster" procs "$cluster")"

echo "$passed passed, $failed failed"
((failed == 0))
