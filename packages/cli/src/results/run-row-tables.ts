import {
  accountOutcomesHeader,
  accountOutcomeWidth,
  outcomesHeader,
  outcomeWidth,
  policyOutcomesHeader,
  policyOutcomeWidth,
  routeOutcomesHeader,
  routeOutcomeWidth,
  type OutcomeEntities,
} from "@mstress/sim";
import type { RowTables } from "./parquet-tables.js";

/**
 * Up to this many bytes of rows (every table's) a run writes its Parquet tables while it summarises, from a copy of
 * its rows: funding-arb-btc's 100,000 paths hold 57.6 MB, the managed carry's ~34,000. The copy is counted in the
 * run's estimate (run-estimate.ts). A larger run writes them from its CSV once the summary has let its rows go:
 * both at once peaked at 1,047 MiB for 10^6 paths against ~810 MiB one after the other, and the tail they would
 * share is a few seconds of such a run.
 */
export const parquetOverlapBytes = 64 * 1024 * 1024;

/** Whether a run whose rows take `rowBytes` writes its Parquet tables from a copy of them (parquetOverlapBytes). */
export function parquetFromRows(rowBytes: number): boolean {
  return rowBytes <= parquetOverlapBytes;
}

/** A run's rows, laid out as the kernel writes them (simulate-chunk.ts), from its first path. */
export interface RunRows {
  readonly firstPath: number;
  readonly rows: Float64Array;
  readonly accountRows: Float64Array;
  readonly routeRows: Float64Array;
  readonly policyRows: Float64Array;
}

/**
 * The run's per-path tables as rows for the Parquet thread: a copy of each array (the thread takes ownership and
 * the summary goes on reading the run's own), under the header its CSV has. policy-outcomes only for a scenario
 * with policies, as the tables are written.
 */
export function runRowBytes(run: RunRows): number {
  return run.rows.byteLength + run.accountRows.byteLength + run.routeRows.byteLength + run.policyRows.byteLength;
}

export function runRowTables(run: RunRows, modes: readonly string[], entities: Pick<OutcomeEntities, "accounts" | "routes" | "policies">): RowTables {
  const { firstPath } = run;
  return {
    "outcomes.csv": { header: outcomesHeader, rows: run.rows.slice(), width: outcomeWidth, firstPath, modes, entities: null },
    "account-outcomes.csv": { header: accountOutcomesHeader, rows: run.accountRows.slice(), width: accountOutcomeWidth, firstPath, modes, entities: entities.accounts },
    "route-outcomes.csv": { header: routeOutcomesHeader, rows: run.routeRows.slice(), width: routeOutcomeWidth, firstPath, modes, entities: entities.routes },
    ...(entities.policies.length > 0 ? { "policy-outcomes.csv": { header: policyOutcomesHeader, rows: run.policyRows.slice(), width: policyOutcomeWidth, firstPath, modes, entities: entities.policies } } : {}),
  };
}
