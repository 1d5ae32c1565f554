import type { OutcomeEntities } from "./evaluation-plan.js";
import { accountOutcomeWidth, outcomeWidth, policyOutcomeWidth, routeOutcomeWidth } from "./outcome-fields.js";
import type { RouteKernel } from "./route-kernel.js";

/** A contiguous run of paths: the unit of work sent to a worker. */
export interface ChunkTask {
  readonly firstPath: number;
  readonly paths: number;
  /** Also format the chunk's lines of the tidy tables (see tables/chunk-tables.ts). */
  readonly tables?: boolean;
}

/**
 * What the kernel writes for a run of paths, path-major then evaluation (the run's modes, each followed by its
 * passive baseline when the scenario has policies; "mode" below):
 * - rows: paths x modes x outcome fields;
 * - accountRows: paths x modes x accounts x account fields (the plan's `entities.accounts`);
 * - routeRows: paths x modes x routes x route fields (`entities.routes`);
 * - policyRows: paths x modes x policies x policy fields (`entities.policies`);
 * - for the fan chart's sample (the first `sampledPaths` of the run, path index < reservoirPaths), the route's PnL
 *   and the mode's smallest distance to liquidation at every step end: sampled paths x modes x steps each.
 * Each array owns its buffer, so a worker can transfer all of them without a copy.
 */
export interface KernelOutputs {
  readonly rows: Float64Array;
  readonly accountRows: Float64Array;
  readonly routeRows: Float64Array;
  readonly policyRows: Float64Array;
  readonly pnlPaths: Float64Array;
  readonly distancePaths: Float64Array;
}

export interface ChunkResult extends KernelOutputs {
  readonly firstPath: number;
  readonly paths: number;
  readonly sampledPaths: number;
}

/** Widths of one path's slice of each output array, for a plan with these modes, entities and steps. */
export interface OutputWidths {
  readonly row: number;
  readonly accountRow: number;
  readonly routeRow: number;
  readonly policyRow: number;
  /** One sampled path's steps over every mode (for pnlPaths and distancePaths alike). */
  readonly pathSteps: number;
}

export function outputWidths(evaluations: number, entities: Pick<OutcomeEntities, "accounts" | "routes" | "policies">, steps: number): OutputWidths {
  return {
    row: evaluations * outcomeWidth,
    accountRow: evaluations * entities.accounts.length * accountOutcomeWidth,
    routeRow: evaluations * entities.routes.length * routeOutcomeWidth,
    policyRow: evaluations * entities.policies.length * policyOutcomeWidth,
    pathSteps: evaluations * steps,
  };
}

export function allocateOutputs(widths: OutputWidths, paths: number, sampledPaths: number): KernelOutputs {
  return {
    rows: new Float64Array(paths * widths.row),
    accountRows: new Float64Array(paths * widths.accountRow),
    routeRows: new Float64Array(paths * widths.routeRow),
    policyRows: new Float64Array(paths * widths.policyRow),
    pnlPaths: new Float64Array(sampledPaths * widths.pathSteps),
    distancePaths: new Float64Array(sampledPaths * widths.pathSteps),
  };
}

/** Runs the kernel over a chunk of paths. A pure function of (plan, task): the worker is a thin shell around it. */
export function simulateChunk(kernel: RouteKernel, reservoirPaths: number, task: ChunkTask): ChunkResult {
  const sampledPaths = Math.max(0, Math.min(task.paths, reservoirPaths - task.firstPath));
  const outputs = allocateOutputs(kernel.widths, task.paths, sampledPaths);
  for (let i = 0; i < task.paths; i++) kernel.simulate(task.firstPath + i, outputs, i, i < sampledPaths);
  return { firstPath: task.firstPath, paths: task.paths, sampledPaths, ...outputs };
}
