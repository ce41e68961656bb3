#!/usr/bin/env bash
# Runs a p2pquic-sim exploration campaign on a Slurm cluster: one job-array
# task per shard (p2pquic-campaign.sbatch), then, with --wait, merges the shard
# summaries into one report with `p2pquic-sim campaign merge`.
#
# Usage:
#   run-campaign.sh --sim PATH --cases N --shards K --out DIR
#                   [--seed S] [--partition P] [--time-limit T]
#                   [--cpus-per-task C] [--extra "FLAGS"] [--json]
#                   [--wait] [--wait-timeout SECONDS] [--poll SECONDS]
#
#   --sim PATH         the p2pquic-sim binary; every compute node must see it
#                      at this path (a shared file system)
#   --cases N          cases in the whole campaign (all shards together)
#   --shards K         array tasks; shard I runs about N/K of the cases
#   --out DIR          where everything goes (created; must hold no earlier
#                      campaign): DIR/shard-I.summary.json, DIR/shard-I/ (the
#                      shrunk failures), DIR/logs/, DIR/report.{txt,json}
#   --seed S           base seed (default: a fresh random one, printed, so
#                      the campaign can be run again exactly)
#   --partition P, --time-limit T    passed to sbatch (--partition, --time)
#   --cpus-per-task C  CPUs per task (default 1); C > 1 runs explore --jobs C
#   --extra "FLAGS"    more explore flags, split on spaces (e.g. "--canary")
#   --json             merge with --json: DIR/report.json instead of .txt
#   --wait             wait for every array task, then merge
#   --wait-timeout S   give up waiting after S seconds (default 86400)
#   --poll S           seconds between queue polls (default 5)
#
# Prints "job <id>" and "seed <S>" on stdout as soon as the array is
# submitted. Without --wait it prints the merge command to run later.
#
# Exit status: without --wait, 0 once submitted. With --wait, the merge's
# status (0 no failure, 1 failures found); 2 bad arguments; 3 a task did not
# complete or left no summary (its log is named); 4 the wait timed out.
set -euo pipefail

readonly kDefaultWaitTimeoutSeconds=86400
readonly kDefaultPollSeconds=5
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly sbatch_script="$here/p2pquic-campaign.sbatch"

usage_error() {
  echo "run-campaign.sh: $*" >&2
  echo "usage: run-campaign.sh --sim PATH --cases N --shards K --out DIR [--seed S] [--partition P] [--time-limit T] [--cpus-per-task C] [--extra \"FLAGS\"] [--json] [--wait] [--wait-timeout SECONDS] [--poll SECONDS]" >&2
  exit 2
}

fail() {
  local code=$1
  shift
  echo "run-campaign.sh: $*" >&2
  exit "$code"
}

sim="" cases="" shards="" out="" seed="" partition="" time_limit="" extra=""
cpus=1 json=0 wait=0 wait_timeout=$kDefaultWaitTimeoutSeconds poll=$kDefaultPollSeconds
while (($#)); do
  case "$1" in
    --sim | --cases | --shards | --out | --seed | --partition | --time-limit | --extra | \
      --cpus-per-task | --wait-timeout | --poll)
      (($# >= 2)) || usage_error "$1 needs a value"
      case "$1" in
        --sim) sim=$2 ;;
        --cases) cases=$2 ;;
        --shards) shards=$2 ;;
        --out) out=$2 ;;
        --seed) seed=$2 ;;
        --partition) partition=$2 ;;
        --time-limit) time_limit=$2 ;;
        --extra) extra=$2 ;;
        --cpus-per-task) cpus=$2 ;;
        --wait-timeout) wait_timeout=$2 ;;
        --poll) poll=$2 ;;
      esac
      shift 2
      ;;
    --json) json=1 && shift ;;
    --wait) wait=1 && shift ;;
    -h | --help) sed -n '2,36p' "${BASH_SOURCE[0]}" && exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

[[ -n "$sim" ]] || usage_error "--sim PATH is required"
[[ -f "$sim" && -x "$sim" ]] || usage_error "--sim '$sim' is not an executable file"
sim="$(cd "$(dirname "$sim")" && pwd)/$(basename "$sim")"
[[ "$cases" =~ ^[1-9][0-9]*$ ]] || usage_error "--cases must be a positive integer, got '$cases'"
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || usage_error "--shards must be a positive integer, got '$shards'"
((shards <= cases)) || usage_error "--shards $shards is more than --cases $cases: some shards would run nothing"
[[ -n "$out" ]] || usage_error "--out DIR is required"
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || usage_error "--cpus-per-task must be a positive integer, got '$cpus'"
[[ "$wait_timeout" =~ ^[1-9][0-9]*$ ]] || usage_error "--wait-timeout must be a positive number of seconds, got '$wait_timeout'"
[[ "$poll" =~ ^[1-9][0-9]*$ ]] || usage_error "--poll must be a positive number of seconds, got '$poll'"
if [[ -z "$seed" ]]; then
  seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
fi
[[ "$seed" =~ ^[0-9]+$ ]] || usage_error "--seed must be a non-negative integer, got '$seed'"
[[ -f "$sbatch_script" ]] || fail 2 "the job script $sbatch_script is missing"
for tool in sbatch squeue scontrol; do
  command -v "$tool" >/dev/null || fail 2 "'$tool' not found: this needs a Slurm client (Debian: slurm-client) configured for your cluster"
done

mkdir -p "$out"
out="$(cd "$out" && pwd)"
if compgen -G "$out/shard-*" >/dev/null || [[ -e "$out/report.txt" || -e "$out/report.json" ]]; then
  usage_error "--out '$out' already holds a campaign (shard-* or report.*): use a fresh directory"
fi
mkdir -p "$out/logs"

sbatch_args=(--parsable --array="0-$((shards - 1))" --job-name=p2pquic-campaign
  --output="$out/logs/shard-%a.log" --chdir="$out" --cpus-per-task="$cpus")
[[ -z "$partition" ]] || sbatch_args+=(--partition="$partition")
[[ -z "$time_limit" ]] || sbatch_args+=(--time="$time_limit")
read -r -a extra_words <<<"$extra"
submitted=$(sbatch "${sbatch_args[@]}" "$sbatch_script" --sim "$sim" --cases "$cases" \
  --seed "$seed" --shards "$shards" --out "$out" -- "${extra_words[@]}") ||
  fail 3 "sbatch refused the job array (see its message above)"
job=${submitted%%;*}
[[ "$job" =~ ^[0-9]+$ ]] || fail 3 "sbatch printed '$submitted', not a job id"
echo "job $job"
echo "seed $seed"
cat >"$out/campaign.txt" <<EOF
job $job
seed $seed
cases $cases
shards $shards
sim $sim
extra $extra
EOF

merge_cmd=("$sim" campaign merge)
((json)) && merge_cmd+=(--json)
summaries=()
for ((i = 0; i < shards; i++)); do summaries+=("$out/shard-$i.summary.json"); done
if ((!wait)); then
  echo "when the job has ended, merge with: ${merge_cmd[*]} $out/shard-*.summary.json"
  exit 0
fi

# Waits until the queue no longer lists any task of the array. squeue names
# a job it has already forgotten "Invalid job id": that is an end too. Any
# other squeue error (a controller restart) is retried until the deadline.
deadline=$((SECONDS + wait_timeout))
while :; do
  if queued=$(squeue -h -r -j "$job" -o '%i %T' 2>&1); then
    [[ -z "$queued" ]] && break
  elif [[ "$queued" != *"Invalid job id"* ]]; then
    echo "run-campaign.sh: squeue failed, retrying: $queued" >&2
  else
    break
  fi
  ((SECONDS < deadline)) || fail 4 "job $job still has tasks queued or running after ${wait_timeout}s: $(tr '\n' ' ' <<<"$queued")"
  sleep "$poll"
done

# Every task must have completed and left its summary. scontrol knows the
# tasks' states for MinJobAge after they end; the summary files are the
# ground truth either way.
broken=()
states=$(scontrol -o show job "$job" 2>/dev/null || true)
for ((i = 0; i < shards; i++)); do
  state=$(grep -E "ArrayTaskId=$i " <<<"$states" | grep -Eo 'JobState=[A-Z_]+' | head -n 1 || true)
  state=${state#JobState=}
  if [[ ! -s "${summaries[$i]}" ]]; then
    broken+=("shard $i (state ${state:-unknown}, no summary; log $out/logs/shard-$i.log, stderr $out/shard-$i.stderr)")
  elif [[ -n "$state" && "$state" != COMPLETED ]]; then
    broken+=("shard $i (state $state; log $out/logs/shard-$i.log)")
  fi
done
if ((${#broken[@]})); then
  printf '  %s\n' "${broken[@]}" >&2
  # What the first broken task said (the job script copies explore's last
  # stderr lines into its log).
  first=$(grep -Eo '^shard [0-9]+' <<<"${broken[0]}" | cut -d' ' -f2)
  echo "--- end of $out/logs/shard-$first.log:" >&2
  tail -n 10 "$out/logs/shard-$first.log" >&2 2>/dev/null || true
  fail 3 "${#broken[@]} of $shards tasks of job $job did not complete"
fi

report="$out/report.txt"
((json)) && report="$out/report.json"
status=0
"${merge_cmd[@]}" "${summaries[@]}" >"$report" || status=$?
cat "$report"
((status <= 1)) || fail "$status" "'${merge_cmd[*]}' exited $status"
exit "$status"
