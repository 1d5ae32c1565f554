import { outcomeWidth } from "./outcome-fields.js";
import type { RouteKernel } from "./route-kernel.js";

/** A contiguous run of paths: the unit of work sent to a worker. */
export interface ChunkTask {
  readonly firstPath: number;
  readonly paths: number;
}

/**
 * Outcome rows of a chunk (paths x modes x fields) and, for the paths that fall in the fan chart's sample
 * (path index < reservoirPaths), their PnL after every step (sampled paths x modes x steps).
 */
export interface ChunkResult {
  readonly firstPath: number;
  readonly paths: number;
  readonly rows: Float64Array;
  readonly sampledPaths: number;
  readonly pnlPaths: Float64Array;
}

/** Runs the kernel over a chunk of paths. A pure function of (plan, task): the worker is a thin shell around it. */
export function simulateChunk(kernel: RouteKernel, modes: number, reservoirPaths: number, task: ChunkTask): ChunkResult {
  const rows = new Float64Array(task.paths * modes * outcomeWidth);
  const sampledPaths = Math.max(0, Math.min(task.paths, reservoirPaths - task.firstPath));
  const pnlPaths = new Float64Array(sampledPaths * modes * kernel.steps);
  for (let i = 0; i < task.paths; i++) {
    const sampled = i < sampledPaths;
    kernel.simulate(task.firstPath + i, rows, i * modes * outcomeWidth, sampled ? pnlPaths : null, i * modes * kernel.steps);
  }
  return { firstPath: task.firstPath, paths: task.paths, rows, sampledPaths, pnlPaths };
}
