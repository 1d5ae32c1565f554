#!/bin/sh
# The merge job: runs once every shard task has succeeded (afterok), joins MSTRESS_SHARD_DIR/shard-* into
# MSTRESS_MERGED and exits by the route's sign-off (0 pass or no limits, 1 fail, 3 undecided). Run again after it
# finished, it rebuilds the report and exits by the same verdict.
set -eu
if [ -f "$MSTRESS_MERGED/manifest.json" ]; then
  exec mstress report "$MSTRESS_MERGED"
fi
exec mstress merge "$MSTRESS_SHARD_DIR"/shard-* --out "$MSTRESS_MERGED"
