import { fileURLToPath } from "node:url";
import { availableParallelism } from "node:os";
import { MstressError } from "@mstress/core";
import { Piscina } from "piscina";
import { outcomeWidth } from "../kernel/outcome-fields.js";
import type { SimulationInput } from "../kernel/simulation-plan.js";
import { unpackChunk } from "./chunk-message.js";

// The main side of the fan-out. Paths are cut into fixed chunks of `chunkSize` paths, sent to a piscina pool,
// and written back into one outcome table at their path offsets, so the table (and every figure computed from it
// in path order) is the same whatever the worker count or the order chunks finish in.

export interface RunOptions {
  readonly input: SimulationInput;
  /** Paths [firstPath, firstPath + paths) are simulated (a shard is a contiguous range). */
  readonly firstPath: number;
  readonly paths: number;
  readonly workers: number;
  readonly chunkSize: number;
  /**
   * Sampling to a tolerance: paths are run in batches of `batchSize`, in path order, and the run stops at the
   * first batch boundary where `isPrecise(rows so far, paths so far)` holds (QuantLib's McSimulation idea).
   */
  readonly precision?: { readonly batchSize: number; readonly isPrecise: (rows: Float64Array, paths: number) => boolean };
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export type StopReason = "paths" | "precision" | "max-paths";

export interface RunResult {
  readonly firstPath: number;
  readonly paths: number;
  /** paths x modes x outcome fields, in path order. */
  readonly rows: Float64Array;
  /** PnL after every step of the sampled paths (the first reservoirPaths of the run): paths x modes x steps. */
  readonly sampledPaths: number;
  readonly pnlPaths: Float64Array;
  readonly steps: number;
  readonly stopReason: StopReason;
}

/** The compiled worker next to this module; from TypeScript source (tests), the built copy in dist. */
function workerFile(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith(".ts") ? "../../dist/worker/simulate-worker.js" : "../worker/simulate-worker.js", here));
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export async function runSimulation(options: RunOptions, steps: number): Promise<RunResult> {
  const { input, firstPath, paths, chunkSize } = options;
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new MstressError("E_BAD_INPUT", `--workers: expected a positive integer, got ${options.workers}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new MstressError("E_BAD_INPUT", `--chunk-size: expected a positive integer, got ${chunkSize}`);
  const modes = input.modes.length;
  const rowWidth = modes * outcomeWidth;
  const pnlWidth = modes * steps;
  const rows = new Float64Array(paths * rowWidth);
  const sampledPaths = Math.max(0, Math.min(paths, input.reservoirPaths - firstPath));
  const pnlPaths = new Float64Array(sampledPaths * pnlWidth);
  const pool = new Piscina({ filename: workerFile(), minThreads: options.workers, maxThreads: options.workers, workerData: input, idleTimeout: 1000 });
  let done = 0;
  let stopReason: StopReason = "paths";
  try {
    const batchSize = options.precision?.batchSize ?? paths;
    let end = 0;
    while (end < paths) {
      const batchEnd = Math.min(paths, end + batchSize);
      const tasks: Promise<void>[] = [];
      for (let start = end; start < batchEnd; start += chunkSize) {
        const task = { firstPath: firstPath + start, paths: Math.min(chunkSize, batchEnd - start) };
        tasks.push(
          (pool.run(task, options.signal === undefined ? {} : { signal: options.signal }) as Promise<Float64Array>).then((packed) => {
            const chunk = unpackChunk(packed, rowWidth, pnlWidth);
            const offset = chunk.firstPath - firstPath;
            rows.set(chunk.rows, offset * rowWidth);
            if (chunk.sampledPaths > 0) pnlPaths.set(chunk.pnlPaths, offset * pnlWidth);
            done += chunk.paths;
            options.onProgress?.(done, paths);
          }),
        );
      }
      await Promise.all(tasks);
      end = batchEnd;
      if (options.precision !== undefined) {
        const precise = options.precision.isPrecise(rows.subarray(0, end * rowWidth), end);
        if (precise) {
          stopReason = "precision";
          break;
        }
        if (end === paths) stopReason = "max-paths";
      }
    }
    return {
      firstPath,
      paths: end,
      rows: rows.subarray(0, end * rowWidth),
      sampledPaths: Math.min(sampledPaths, end),
      pnlPaths: pnlPaths.subarray(0, Math.min(sampledPaths, end) * pnlWidth),
      steps,
      stopReason,
    };
  } catch (error) {
    if (options.signal?.aborted === true) throw new MstressError("E_INTERRUPTED", "interrupted: no result was written");
    throw error;
  } finally {
    await pool.destroy();
  }
}

