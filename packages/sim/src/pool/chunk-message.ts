import type { ChunkResult } from "../kernel/simulate-chunk.js";

// A chunk result crosses the thread boundary as one Float64Array (so it can be transferred whole):
// [firstPath, paths, sampledPaths, ...rows, ...pnlPaths].

const header = 3;

export function packChunk(result: ChunkResult): Float64Array {
  const packed = new Float64Array(header + result.rows.length + result.pnlPaths.length);
  packed[0] = result.firstPath;
  packed[1] = result.paths;
  packed[2] = result.sampledPaths;
  packed.set(result.rows, header);
  packed.set(result.pnlPaths, header + result.rows.length);
  return packed;
}

export function unpackChunk(packed: Float64Array, rowWidth: number, pnlWidth: number): ChunkResult {
  const firstPath = packed[0] ?? 0;
  const paths = packed[1] ?? 0;
  const sampledPaths = packed[2] ?? 0;
  const rowsEnd = header + paths * rowWidth;
  return {
    firstPath,
    paths,
    sampledPaths,
    rows: packed.subarray(header, rowsEnd),
    pnlPaths: packed.subarray(rowsEnd, rowsEnd + sampledPaths * pnlWidth),
  };
}
