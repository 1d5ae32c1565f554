import { transferableSymbol, valueSymbol } from "piscina";
import type { ChunkResult } from "../kernel/simulate-chunk.js";
import type { ChunkTables } from "../tables/chunk-tables.js";

// A chunk result crosses the thread boundary as a plain object of Float64Arrays whose buffers are transferred,
// not copied: piscina moves the buffers a result lists under its transferable symbol. The wrapper must be what
// the worker returns (piscina looks for it at the top level only), wrapped once more by `Piscina.move`.

/** What a worker sends back for a chunk: the kernel's arrays, and the tables' lines when the task asked for them. */
export interface ChunkMessage extends ChunkResult {
  readonly tables?: ChunkTables;
}

export interface MovableChunk {
  readonly [transferableSymbol]: ArrayBuffer[];
  readonly [valueSymbol]: ChunkMessage;
}

export function movableChunk(result: ChunkMessage): MovableChunk {
  const lines = result.tables === undefined ? [] : [result.tables.outcomes, result.tables.accounts, result.tables.routes, result.tables.policies, result.tables.pnlPaths];
  const arrays = [result.rows, result.accountRows, result.routeRows, result.policyRows, result.pnlPaths, result.distancePaths, ...lines];
  return {
    [transferableSymbol]: arrays.map((array) => array.buffer as ArrayBuffer),
    [valueSymbol]: result,
  };
}
