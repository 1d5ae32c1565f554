import { availableParallelism } from "node:os";
import { MstressError } from "@mstress/core/engine";
import { allocateOutputs, outputWidths, type KernelOutputs } from "../kernel/simulate-chunk.js";
import type { ChunkTableText } from "../tables/chunk-tables.js";
import { SimulationPool } from "./simulation-pool.js";
import { errorOfRecord, isWorkerErrorRecord } from "@mstress/core/errors";
import { evaluationLabels, outcomeEntities, type SimulationInput } from "../kernel/simulation-plan.js";

// The main side of the fan-out. Paths are cut into fixed chunks of `chunkSize` paths, sent to a piscina pool,
// and written back into one set of output arrays at their path offsets, so the tables (and every figure computed
// from them in path order) are the same whatever the worker count or the order chunks finish in.

export interface RunOptions {
  readonly input: SimulationInput;
  /** Paths [firstPath, firstPath + paths) are simulated (a shard is a contiguous range). */
  readonly firstPath: number;
  readonly paths: number;
  readonly workers: number;
  /**
   * Workers already started (a sweep shares one across its points, see SimulationPool); the caller destroys it.
   * Without it the run starts its own `workers` threads and stops them when it ends.
   */
  readonly pool?: SimulationPool;
  readonly chunkSize: number;
  /**
   * Sampling to a tolerance: paths are run in batches of `batchSize`, in path order, and the run stops at the
   * first batch boundary where `isPrecise(rows so far, paths so far)` holds (QuantLib's McSimulation idea).
   */
  readonly precision?: { readonly batchSize: number; readonly isPrecise: (rows: Float64Array, paths: number) => boolean };
  /**
   * Have the workers format each chunk's lines of the tidy tables (sim/src/tables), handed over as chunks arrive
   * (in completion order; `firstPath` places them).
   */
  readonly onTables?: (firstPath: number, paths: number, tables: ChunkTableText) => void;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export type StopReason = "paths" | "precision" | "max-paths";

/**
 * The run's outputs in path order (see KernelOutputs for the layouts): outcome rows, per-account and per-route
 * rows, and for the sampled paths (the first reservoirPaths of the run) the PnL and distance at every step end.
 */
export interface RunResult extends KernelOutputs {
  readonly firstPath: number;
  readonly paths: number;
  readonly sampledPaths: number;
  readonly steps: number;
  readonly stopReason: StopReason;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** The smallest chunk the tail is cut into: below it a task's messaging costs more than the balance gains. */
const smallestChunk = 10;

/**
 * Paths in the next chunk when `remaining` are left: `chunkSize`, but never more than a (2 x workers)-th of what
 * remains, so the last chunks shrink and the workers finish together instead of one idling while another runs a
 * whole chunk (guided scheduling). Chunk boundaries cannot change a result: every path has its own stream.
 */
export function chunkPaths(remaining: number, chunkSize: number, workers: number): number {
  return Math.min(remaining, chunkSize, Math.max(smallestChunk, Math.ceil(remaining / (2 * workers))));
}

/**
 * The handler of a finished run's pool stopping late. Defined out here, not inline: a closure made inside
 * `runSimulation` holds its scope, `outputs` included, and this one lives until the threads have stopped, which
 * the event loop sees only when the caller next awaits. Inline, it kept the rows the caller had let go (312 MB at
 * 10^6 paths) alive through the summary and the Parquet tables.
 */
function ignoreStopFailure(): undefined {
  return undefined;
}

export async function runSimulation(options: RunOptions, steps: number): Promise<RunResult> {
  const { input, firstPath, paths, chunkSize } = options;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new MstressError("E_BAD_INPUT", `--chunk-size: expected a positive integer, got ${chunkSize}`);
  const entities = outcomeEntities(input.scenario);
  const widths = outputWidths(evaluationLabels(input).length, entities, steps);
  const sampledPaths = Math.max(0, Math.min(paths, input.reservoirPaths - firstPath));
  const outputs = allocateOutputs(widths, paths, sampledPaths);
  const pool = options.pool ?? new SimulationPool(options.workers, input);
  const workers = pool.workers;
  // Every queued chunk listens for the abort (piscina adds one listener per task), so a batch of many chunks
  // exceeds Node's default of 10 and prints a leak warning; the listeners go when their chunks settle. A signal of
  // our own, raised by the caller's, keeps that limit lifted off the caller's signal.
  let aborted = false;
  // Each task gets a signal of its own, aborted with the run's. piscina's listener on a task's signal holds the
  // task and so its result: on the run's one signal, every chunk's arrays stayed reachable to the end of the run
  // (~1.5 KB a path, 1.7 GB at 10^6 paths). A finished task's controller is dropped, and its listener with it.
  const running = new Set<AbortController>();
  const taskSignal = (): { readonly signal: AbortSignal; readonly done: () => void } => {
    const controller = new AbortController();
    if (aborted) controller.abort();
    running.add(controller);
    return { signal: controller.signal, done: () => running.delete(controller) };
  };
  const abortTasks = (): void => {
    aborted = true;
    for (const controller of running) controller.abort();
  };
  if (options.signal?.aborted === true) abortTasks();
  options.signal?.addEventListener("abort", abortTasks, { once: true });
  let done = 0;
  let stopReason: StopReason = "paths";
  let finished = false;
  try {
    const batchSize = options.precision?.batchSize ?? paths;
    let end = 0;
    while (end < paths) {
      const batchEnd = Math.min(paths, end + batchSize);
      // At most `window` chunks (two per worker) are queued or running at a time, so a worker always has the next.
      // piscina does not keep its queue in order for tasks with an abort signal (it puts one it cannot hand out
      // yet at the back, or with stricterFIFO at the front, which reverses a burst), so with every chunk of a run
      // queued at once an early chunk could run last, and the main thread held every later chunk's tables until
      // it could write them in path order: ~0.7 KB a path, most of a 10^6-path run's peak memory. A short window
      // bounds how far out of order chunks can finish, and so the tables waiting.
      const inFlight = new Set<Promise<void>>();
      const window = 2 * workers;
      for (let start = end, size = 0; start < batchEnd; start += size) {
        if (inFlight.size >= window) await Promise.race(inFlight);
        size = chunkPaths(batchEnd - start, chunkSize, workers);
        const task = { firstPath: firstPath + start, paths: size, tables: options.onTables !== undefined };
        const own = taskSignal();
        const running: Promise<void> = pool
          .run(input, task, own.signal)
          .finally(own.done)
          .then((chunk) => {
            const offset = chunk.firstPath - firstPath;
            if (chunk.tables !== undefined) options.onTables?.(chunk.firstPath, chunk.paths, chunk.tables);
            outputs.rows.set(chunk.rows, offset * widths.row);
            outputs.accountRows.set(chunk.accountRows, offset * widths.accountRow);
            outputs.routeRows.set(chunk.routeRows, offset * widths.routeRow);
            outputs.policyRows.set(chunk.policyRows, offset * widths.policyRow);
            if (chunk.sampledPaths > 0) {
              outputs.pnlPaths.set(chunk.pnlPaths, offset * widths.pathSteps);
              outputs.distancePaths.set(chunk.distancePaths, offset * widths.pathSteps);
            }
            done += chunk.paths;
            options.onProgress?.(done, paths);
            inFlight.delete(running);
          });
        // A chunk that fails after another has already failed is handled here (the first failure is thrown).
        void running.catch(() => undefined);
        inFlight.add(running);
      }
      await Promise.all(inFlight);
      end = batchEnd;
      if (options.precision !== undefined) {
        const precise = options.precision.isPrecise(outputs.rows.subarray(0, end * widths.row), end);
        if (precise) {
          stopReason = "precision";
          break;
        }
        if (end === paths) stopReason = "max-paths";
      }
    }
    const sampled = Math.min(sampledPaths, end);
    finished = true;
    return {
      firstPath,
      paths: end,
      rows: outputs.rows.subarray(0, end * widths.row),
      accountRows: outputs.accountRows.subarray(0, end * widths.accountRow),
      routeRows: outputs.routeRows.subarray(0, end * widths.routeRow),
      policyRows: outputs.policyRows.subarray(0, end * widths.policyRow),
      sampledPaths: sampled,
      pnlPaths: outputs.pnlPaths.subarray(0, sampled * widths.pathSteps),
      distancePaths: outputs.distancePaths.subarray(0, sampled * widths.pathSteps),
      steps,
      stopReason,
    };
  } catch (error) {
    if (options.signal?.aborted === true) throw new MstressError("E_INTERRUPTED", "interrupted: no result was written");
    throw isWorkerErrorRecord(error) ? errorOfRecord(error) : error;
  } finally {
    options.signal?.removeEventListener("abort", abortTasks);
    // Stopping the run's own threads takes 50 to 150 ms: after a finished run it goes on while the caller
    // summarises; after a failure it is waited for, so an interrupted run ends with its threads.
    if (options.pool === undefined) {
      const stopping = pool.destroy();
      if (finished) void stopping.catch(ignoreStopFailure);
      else await stopping;
    }
  }
}

