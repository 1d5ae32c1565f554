import { parentPort } from "node:worker_threads";
import { serializeError } from "@mstress/core/errors";
import { writeParquetTables } from "./parquet-tables.js";
import type { ParquetReply, ParquetRequest } from "./parquet-thread.js";

// The thread behind ParquetThread: loads the Parquet writer when started, writes the tables of one results
// directory when asked, replies once and ends.
parentPort?.once("message", (request: ParquetRequest) => {
  let reply: ParquetReply;
  try {
    writeParquetTables(request.directory, request.quoteCurrency);
    reply = { ok: true };
  } catch (error) {
    reply = { ok: false, error: serializeError(error) };
  }
  parentPort?.postMessage(reply);
});
