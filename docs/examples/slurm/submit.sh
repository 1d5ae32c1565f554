#!/bin/sh
# One night of one scenario on Slurm: an array job of <shards> tasks, task i running shard i/n of the run, and a
# merge job that starts when every task has succeeded (afterok) and joins the shards into the result one run would
# have written, to the byte. Waits for the merge and exits as a run does: 0 pass (or no limits), 1 fail,
# 3 undecided; 2 or 4 when the night failed (see <results>/logs). See README.md beside this file.
#
#   submit.sh <scenario.yaml> <paths> <shards> <seed> <results>
#
# MSTRESS_WORKERS: CPUs per shard task, passed to mstress --workers (default 2). Slurm's own SBATCH_* variables
# (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...) apply to every job submitted. `mstress` must be on the
# PATH of the compute nodes, and <results> on a file system they share.
set -eu
if [ $# -ne 5 ]; then
  echo "usage: $0 <scenario.yaml> <paths> <shards> <seed> <results>" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
export MSTRESS_SCENARIO="$1" MSTRESS_PATHS="$2" MSTRESS_SHARDS="$3" MSTRESS_SEED="$4"
export MSTRESS_WORKERS="${MSTRESS_WORKERS:-2}"
export MSTRESS_SHARD_DIR="$5" MSTRESS_MERGED="$5/all"
mkdir -p "$5/logs"

array=$(sbatch --parsable --job-name=mstress-shards --array="1-$MSTRESS_SHARDS" --cpus-per-task="$MSTRESS_WORKERS" --requeue \
  --open-mode=append --output="$5/logs/shard-%a.out" "$here/shard.sh")
array=${array%%;*}
echo "shards: array job $array ($MSTRESS_SHARDS tasks)"

# --wait returns when the merge ends, with its exit status. --kill-on-invalid-dep: a shard that failed cancels the
# merge rather than leaving it pending for ever.
status=0
sbatch --wait --job-name=mstress-merge --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$5/logs/merge.out" "$here/merge.sh" || status=$?
if [ ! -f "$MSTRESS_MERGED/manifest.json" ]; then
  echo "no merged result in $MSTRESS_MERGED: a shard or the merge failed (see $5/logs)" >&2
  case $status in 0 | 1 | 3) exit 4 ;; *) exit "$status" ;; esac
fi
exit "$status"
