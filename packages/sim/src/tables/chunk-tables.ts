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

/**
 * The same lines as text (one Latin-1 string per table, ASCII in fact), as they cross from a worker to the main
 * thread: a string lives on the receiving thread's heap, so its garbage collector sees it and frees it once written.
 * A transferred buffer does not count towards that collector's budget, and a million paths' worth (~1 GB) piled up
 * before anything collected them.
 */
export type ChunkTableText = { readonly [K in keyof ChunkTables]: string };

export function chunkTableText(tables: ChunkTables): ChunkTableText {
  const text = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return { outcomes: text(tables.outcomes), accounts: text(tables.accounts), routes: text(tables.routes), policies: text(tables.policies), pnlPaths: text(tables.pnlPaths) };
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
