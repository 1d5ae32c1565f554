import { transferableSymbol, valueSymbol } from "piscina";
import type { ChunkResult } from "../kernel/simulate-chunk.js";
import type { ChunkTableText } from "../tables/chunk-tables.js";

// A chunk result crosses the thread boundary as a plain object of Float64Arrays whose buffers are transferred,
// not copied: piscina moves the buffers a result lists under its transferable symbol. The wrapper must be what
// the worker returns (piscina looks for it at the top level only), wrapped once more by `Piscina.move`. The tables'
// lines come as strings, copied (chunk-tables.ts says why).

/** What a worker sends back for a chunk: the kernel's arrays, and the tables' lines when the task asked for them. */
export interface ChunkMessage extends ChunkResult {
  readonly tables?: ChunkTableText;
}

export interface MovableChunk {
  readonly [transferableSymbol]: ArrayBuffer[];
  readonly [valueSymbol]: ChunkMessage;
}

export function movableChunk(result: ChunkMessage): MovableChunk {
  const arrays = [result.rows, result.accountRows, result.routeRows, result.policyRows, result.pnlPaths, result.distancePaths];
  return {
    [transferableSymbol]: arrays.map((array) => array.buffer as ArrayBuffer),
    [valueSymbol]: result,
  };
}
