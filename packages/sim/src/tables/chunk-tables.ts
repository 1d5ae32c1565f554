import type { ChunkResult } from "../kernel/simulate-chunk.js";
import type { SimulationPlan } from "../kernel/simulation-plan.js";
import { accountOutcomeLines, outcomeLines, pnlPathLines, policyOutcomeLines, routeOutcomeLines } from "./table-lines.js";

/**
 * A chunk's lines of each tidy table (no headers, ASCII bytes), in path order; a run's tables are its chunks' in
 * path order.
 */
export interface ChunkTables {
  readonly outcomes: Uint8Array;
  readonly accounts: Uint8Array;
  readonly routes: Uint8Array;
  readonly policies: Uint8Array;
  readonly pnlPaths: Uint8Array;
}

export function chunkTables(plan: SimulationPlan, chunk: ChunkResult): ChunkTables {
  const { entities, market } = plan;
  const labels = plan.evaluations.map((e) => e.label);
  return {
    outcomes: outcomeLines(chunk.rows, chunk.firstPath, labels),
    accounts: accountOutcomeLines(chunk.accountRows, chunk.firstPath, labels, entities.accounts),
    routes: routeOutcomeLines(chunk.routeRows, chunk.firstPath, labels, entities.routes),
    policies: policyOutcomeLines(chunk.policyRows, chunk.firstPath, labels, entities.policies),
    pnlPaths: pnlPathLines(chunk.pnlPaths, chunk.distancePaths, chunk.firstPath, chunk.sampledPaths, labels, market.steps, market.stepSeconds),
  };
}
