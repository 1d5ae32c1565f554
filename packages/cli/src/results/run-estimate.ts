import { statfsSync } from "node:fs";
import { totalmem } from "node:os";
import { dirname } from "node:path";
import { MstressError } from "@mstress/core";
import {
  RouteKernel,
  accountOutcomeFields,
  accountOutcomeWidth,
  chunkTables,
  outcomeFields,
  outcomeWidth,
  policyOutcomeFields,
  policyOutcomeWidth,
  routeOutcomeFields,
  routeOutcomeWidth,
  outputWidths,
  simulateChunk,
  type ChunkResult,
  type SimulationPlan,
} from "@mstress/sim";
import { formatBytes } from "../input/read-input-file.js";
import { parquetFromRows } from "./run-row-tables.js";
import { columnMeaning } from "./table-columns.js";

/** What a run will take, estimated before it starts. */
export interface RunEstimate {
  readonly seconds: number;
  /** Peak memory of the main thread and the workers. */
  readonly memoryBytes: number;
  /** The results directory: the tables as CSV and as Parquet, the fan charts' sample, the report. */
  readonly diskBytes: number;
}

/** Runs estimated to take longer than this get a warning pointing at --shard. */
export const longRunSeconds = 15 * 60;

/** Each worker's own memory: its isolate, the compiled plan and a chunk's buffers (measured: ~45 MB). */
const workerBytes = 64 * 1024 * 1024;
/** The main thread before any path: node, the report's chart libraries, the plan (measured: ~120 MB). */
const baseBytes = 160 * 1024 * 1024;
/** report.html (vega, vega-lite and vega-embed inlined, ~1.6 MB) and the charts' specs and CSVs beside it. */
const reportBytes = 4 * 1024 * 1024;

/**
 * Seconds per path on one worker, measured on a few paths simulated here (from path `reservoirPaths` on, so the
 * fan chart's costlier sampled paths are not counted) for at most ~0.3 s after untimed ones (until the compiled
 * code's speed settles); the tables' bytes per path likewise. On a busy machine it overstates the time, which errs
 * on the side of a warning.
 */
function calibrate(plan: SimulationPlan): { secondsPerPath: number; tableBytesPerPath: number; parquetBytesPerPath: number } {
  const kernel = new RouteKernel(plan);
  // Paths first, untimed, with their tables, in windows of 40 until two windows in a row are no more than 15 %
  // faster than the fastest before (at most ~3 s), so the timed ones run optimised code rather than the
  // interpreter's. V8 compiles on background threads, which a busy machine starves: after a fixed 0.1 s of warm-up
  // the first estimate of a 10^7-path run at 8 h came out ~15x too long (15 h against ~1 h measured).
  const warming = performance.now();
  let warmed = 0;
  let fastest = Infinity;
  let settled = 0;
  while (settled < 2 && performance.now() - warming < 3_000) {
    const windowStarted = performance.now();
    for (let p = 0; p < 40; p += 4) chunkTables(plan, simulateChunk(kernel, 0, { firstPath: plan.reservoirPaths + 1_000_000 + warmed + p, paths: 4 }));
    warmed += 40;
    const elapsed = performance.now() - windowStarted;
    settled = elapsed > 0.85 * fastest ? settled + 1 : 0;
    fastest = Math.min(fastest, elapsed);
  }
  const started = performance.now();
  let paths = 0;
  let bytes = 0;
  let parquetBytes = 0;
  while (paths < 200 && performance.now() - started < 300) {
    const chunk = simulateChunk(kernel, 0, { firstPath: plan.reservoirPaths + paths, paths: 4 });
    const tables = chunkTables(plan, chunk);
    bytes += tables.outcomes.length + tables.accounts.length + tables.routes.length + tables.policies.length;
    parquetBytes += parquetBytesOfChunk(chunk);
    paths += 4;
  }
  return { secondsPerPath: (performance.now() - started) / 1000 / paths, tableBytesPerPath: bytes / paths, parquetBytesPerPath: parquetBytes / paths };
}

// Bytes a Parquet table (uncompressed, plain doubles) spends on a row and on a cell, bounded from above: the path
// (an INT32), the mode and entity (dictionary indices) and the definition levels (a bit a cell) in the row's share; a
// number 8 bytes and a flag 1 (a bit in fact); a null nothing but its level. Against the files the writer makes
// (run-estimate.test.ts) this overstates by 10 to 40 %, which errs on the side of a refusal.
const parquetRowBytes = 8;
const parquetNumberBytes = 8;
const parquetFlagBytes = 1;

/** An upper bound of the bytes the four Parquet tables take for a chunk's rows. */
export function parquetBytesOfChunk(chunk: Pick<ChunkResult, "rows" | "accountRows" | "routeRows" | "policyRows">): number {
  return (
    parquetBytesOfRows(chunk.rows, outcomeFields, outcomeWidth) +
    parquetBytesOfRows(chunk.accountRows, accountOutcomeFields, accountOutcomeWidth) +
    parquetBytesOfRows(chunk.routeRows, routeOutcomeFields, routeOutcomeWidth) +
    parquetBytesOfRows(chunk.policyRows, policyOutcomeFields, policyOutcomeWidth)
  );
}

function parquetBytesOfRows(rows: Float64Array, fields: readonly string[], width: number): number {
  const flag = fields.map((field) => columnMeaning(field).kind === "flag");
  let bytes = (rows.length / width) * parquetRowBytes;
  for (let i = 0; i < rows.length; i++) {
    if (!Number.isNaN(rows[i] ?? Number.NaN)) bytes += flag[i % width] === true ? parquetFlagBytes : parquetNumberBytes;
  }
  return bytes;
}

/**
 * Time, memory and disk a run of `paths` paths on `workers` threads will take. The main thread holds the outcome
 * rows (per path and mode, the outcome fields and those of each account, route and policy) to the end of the
 * simulation, and lets each kind go once it is summarised, so little more than the rows is held at once: the
 * 10^7-path run of the canonical scenario peaked at 1.105 times its rows over the fixed cost (6,512,188 KiB,
 * docs/performance.md), so the rows are counted 1.15 times, and once more when the Parquet thread gets a copy of
 * them (parquetOverlapBytes). A run of under a minute of work is not measured, only sized.
 */
export function estimateRun(plan: SimulationPlan, paths: number, workers: number): RunEstimate {
  // Each mode and, with policies, its passive baseline: rows, sample and work are per evaluation.
  const modes = plan.evaluations.length;
  const { accounts, routes, policies } = plan.entities;
  const widths = outputWidths(modes, plan.entities, plan.market.steps);
  const perPathDoubles = widths.row + widths.accountRow + widths.routeRow + widths.policyRow;
  const sampled = Math.min(paths, plan.reservoirPaths);
  const reservoirBytes = sampled * modes * plan.market.steps * 45;
  const work = paths * modes * plan.market.steps;
  // Measured only for a run that could near the long-run warning: under 5e7 path-mode-steps it is under a minute
  // (~0.4 us each here), and the measurement itself costs ~0.4 s of a short run's start.
  const measured = work > 50_000_000 ? calibrate(plan) : null;
  const tableBytesPerPath = measured?.tableBytesPerPath ?? modes * (150 + 70 * accounts.length + 60 * routes.length + 70 * policies.length);
  // Unmeasured, every cell counted as a number.
  const rowsPerPath = modes * (1 + accounts.length + routes.length + policies.length);
  const parquetBytesPerPath = measured?.parquetBytesPerPath ?? perPathDoubles * parquetNumberBytes + rowsPerPath * parquetRowBytes;
  const rowBytes = paths * perPathDoubles * 8;
  // A run small enough to write its Parquet tables while it summarises hands its Parquet thread a copy of the rows.
  const parquetCopyBytes = parquetFromRows(rowBytes) ? rowBytes : 0;
  return {
    seconds: measured === null ? 0 : (measured.secondsPerPath * paths) / workers,
    memoryBytes: baseBytes + workers * workerBytes + rowBytes * rowsHeldFactor + parquetCopyBytes + sampled * modes * plan.market.steps * 8 * 6,
    diskBytes: paths * (tableBytesPerPath + parquetBytesPerPath) + reservoirBytes + reportBytes,
  };
}

/** Peak memory over the fixed cost, as a multiple of the outcome rows (measured 1.105 at 10^7 paths; see estimateRun). */
export const rowsHeldFactor = 1.15;

/** Memory this process may use: the cgroup's limit where there is one (a container), else the machine's. */
export function availableMemory(): number {
  const limit = process.constrainedMemory();
  const total = totalmem();
  return limit > 0 && limit < total ? limit : total;
}

/** Bytes free on the file system that will hold `path` (its nearest existing ancestor's), or null if unknown. */
export function freeDiskBytes(path: string): number | null {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      const stats = statfsSync(dir);
      return stats.bavail * stats.bsize;
    } catch {
      if (dirname(dir) === dir) return null;
    }
  }
}

/**
 * Refuses (exit 2) a run that cannot fit in memory or on disk, naming the flags that make it fit, and warns on
 * one estimated to run longer than `longRunSeconds`.
 */
export function checkRunFits(estimate: RunEstimate, context: { readonly paths: number; readonly out: string; readonly memory: number; readonly freeDisk: number | null }, warn: (line: string) => void): void {
  const { paths, memory, freeDisk } = context;
  if (estimate.memoryBytes > 0.8 * memory) {
    const shards = Math.ceil(estimate.memoryBytes / (0.5 * memory));
    throw new MstressError(
      "E_BAD_INPUT",
      `--paths: ${String(paths)} paths need about ${formatBytes(estimate.memoryBytes)} of memory and ${formatBytes(memory)} is available; expected fewer paths, or split the run with --shard 1/${String(shards)} ... --shard ${String(shards)}/${String(shards)} on machines of their own (docs/running-at-scale.md)`,
    );
  }
  if (freeDisk !== null && estimate.diskBytes > freeDisk) {
    throw new MstressError("E_BAD_INPUT", `--out: the result needs about ${formatBytes(estimate.diskBytes)} and ${formatBytes(freeDisk)} is free where ${JSON.stringify(context.out)} goes; expected a file system with room (or fewer --paths, or --shard i/n)`);
  }
  if (estimate.seconds > longRunSeconds) {
    warn(`warning: this run is estimated to take about ${formatHours(estimate.seconds)}; to spread it over machines, run it as shards (--shard i/n, then mstress merge; docs/running-at-scale.md)`);
  }
}

function formatHours(seconds: number): string {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : `${String(Math.round(seconds / 60))} min`;
}
