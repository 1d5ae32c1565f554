#!/bin/sh
# The suite's last job (submit-suite.sh): once every route's merge has ended, builds index.html, suite.json and
# suite.csv from the merged results in MSTRESS_RESULTS/<name>/ and exits by the worst verdict.
set -eu
exec mstress suite "$MSTRESS_SCENARIOS" --from-results "$MSTRESS_RESULTS" --seed "$MSTRESS_SEED" --paths "$MSTRESS_PATHS" \
  ${MSTRESS_PREVIOUS:+--previous "$MSTRESS_PREVIOUS"}
