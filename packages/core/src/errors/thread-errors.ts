// The errors a worker thread may import without the engine (`@mstress/core/errors`): the Parquet thread loads
// only these and the Parquet writer.
export * from "./mstress-error.js";
export * from "./worker-error.js";
