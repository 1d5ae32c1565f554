import type { ChunkResult } from "../kernel/simulate-chunk.js";
import type { SimulationPlan } from "../kernel/simulation-plan.js";
import { accountOutcomeLines, outcomeLines, pnlPathLines, routeOutcomeLines } from "./table-lines.js";

/**
 * A chunk's lines of each tidy table (no headers, ASCII bytes), in path order; a run's tables are its chunks' in
 * path order.
 */
export interface ChunkTables {
  readonly outcomes: Uint8Array;
  readonly accounts: Uint8Array;
  readonly routes: Uint8Array;
  readonly pnlPaths: Uint8Array;
}

export function chunkTables(plan: SimulationPlan, chunk: ChunkResult): ChunkTables {
  const { modes, entities, market } = plan;
  return {
    outcomes: outcomeLines(chunk.rows, chunk.firstPath, modes),
    accounts: accountOutcomeLines(chunk.accountRows, chunk.firstPath, modes, entities.accounts),
    routes: routeOutcomeLines(chunk.routeRows, chunk.firstPath, modes, entities.routes),
    pnlPaths: pnlPathLines(chunk.pnlPaths, chunk.distancePaths, chunk.firstPath, chunk.sampledPaths, modes, market.steps, market.stepSeconds),
  };
}
