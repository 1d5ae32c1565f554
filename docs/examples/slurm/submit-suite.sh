#!/bin/sh
# A night of many routes on Slurm: for each scenario `mstress suite --plan` lists (a directory's Monte Carlo
# scenarios, or one file), an array job of <shards> shard tasks and a merge job into <results>/<name>/ (as
# submit.sh), then one job that waits for every merge, whatever its outcome (afterany), and builds the night's
# index from the merged results: `mstress suite --from-results <results>` writes index.html, suite.json and
# suite.csv, naming any route whose shards or merge failed. Waits for it and exits as `mstress suite` does: the
# worst sign-off (1 fail, 3 undecided, 0 pass or no limits), 2 if a scenario was bad input, 4 if a route has no
# result. See README.md beside this file.
#
#   submit-suite.sh <scenarios-dir | scenario.yaml> <paths> <shards> <seed> <results>
#
# MSTRESS_WORKERS: CPUs per shard task (default 2). MSTRESS_PREVIOUS: an earlier night's <results>, to show each
# route's move since then. Slurm's SBATCH_* variables apply to every job. Shards and logs go under
# <results>/.slurm/ (a scenario's name cannot start with a dot, so it never meets a route's directory).
set -eu
if [ $# -ne 5 ]; then
  echo "usage: $0 <scenarios-dir | scenario.yaml> <paths> <shards> <seed> <results>" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
export MSTRESS_SCENARIOS="$1" MSTRESS_PATHS="$2" MSTRESS_SHARDS="$3" MSTRESS_SEED="$4" MSTRESS_RESULTS="$5"
export MSTRESS_WORKERS="${MSTRESS_WORKERS:-2}" MSTRESS_PREVIOUS="${MSTRESS_PREVIOUS:-}"
work="$5/.slurm"
mkdir -p "$work/logs"

# One line per scenario to run: <name> TAB <file>. Skipped and bad scenarios are said on stderr; the index names them.
mstress suite "$1" --plan > "$work/plan.tsv"
tab=$(printf '\t')
merges=""
while IFS="$tab" read -r name file; do
  export MSTRESS_SCENARIO="$file" MSTRESS_SHARD_DIR="$work/$name" MSTRESS_MERGED="$5/$name"
  array=$(sbatch --parsable --job-name="mstress-$name" --array="1-$MSTRESS_SHARDS" --cpus-per-task="$MSTRESS_WORKERS" --requeue \
    --open-mode=append --output="$work/logs/$name-shard-%a.out" "$here/shard.sh")
  array=${array%%;*}
  merge=$(sbatch --parsable --job-name="mstress-$name-merge" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --output="$work/logs/$name-merge.out" "$here/merge.sh")
  merge=${merge%%;*}
  echo "$name: shards array job $array, merge job $merge"
  merges="$merges:$merge"
done < "$work/plan.tsv"

dependency=""
if [ -n "$merges" ]; then dependency="--dependency=afterany$merges"; fi
status=0
# shellcheck disable=SC2086 # $dependency is one option or none
sbatch --wait --job-name=mstress-suite $dependency --output="$work/logs/suite.out" "$here/index.sh" || status=$?
if [ ! -f "$5/index.html" ]; then
  echo "no index in $5: the index job failed (see $work/logs/suite.out)" >&2
  case $status in 0 | 1 | 3) exit 4 ;; *) exit "$status" ;; esac
fi
exit "$status"
