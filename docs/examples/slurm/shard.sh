#!/bin/sh
# One task of the array job submit.sh (or submit-suite.sh) submits: shard i/n of the run. `mstress shard` turns the
# task's SLURM_ARRAY_TASK_ID into i/n, the one function the Kubernetes example's pods use for JOB_COMPLETION_INDEX.
# Reads MSTRESS_SCENARIO, MSTRESS_PATHS, MSTRESS_SHARDS, MSTRESS_SEED, MSTRESS_WORKERS and MSTRESS_SHARD_DIR.
set -eu
shard=$(mstress shard --of "$MSTRESS_SHARDS")
out="$MSTRESS_SHARD_DIR/shard-${shard%/*}"
# A result directory appears only when complete (mstress renames it into place): a task whose shard already
# finished has nothing to do, and one killed halfway (requeued, preempted) left only a hidden partial directory,
# which the next attempt removes before it recomputes the same paths.
if [ -f "$out/manifest.json" ]; then
  echo "shard $shard already done"
  exit 0
fi
echo "shard $shard of $MSTRESS_SCENARIO, attempt $((${SLURM_RESTART_COUNT:-0} + 1))"
exec mstress run "$MSTRESS_SCENARIO" --paths "$MSTRESS_PATHS" --seed "$MSTRESS_SEED" --shard "$shard" \
  --workers "${SLURM_CPUS_PER_TASK:-$MSTRESS_WORKERS}" --out "$out"
