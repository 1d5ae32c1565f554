import { parentPort } from "node:worker_threads";
import { serializeError } from "@mstress/core/errors";
import { writeParquetTables, writeParquetTablesOfRows } from "./parquet-tables.js";
import type { ParquetReply, ParquetRequest } from "./parquet-thread.js";

// The thread behind ParquetThread: loads the Parquet writer when started, writes the tables of one results
// directory when asked (from the rows sent, or from its CSV), replies once and ends.
parentPort?.once("message", (request: ParquetRequest) => {
  let reply: ParquetReply;
  try {
    if (request.rows === undefined) writeParquetTables(request.directory, request.quoteCurrency);
    else writeParquetTablesOfRows(request.directory, request.quoteCurrency, request.rows);
    reply = { ok: true };
  } catch (error) {
    reply = { ok: false, error: serializeError(error) };
  }
  parentPort?.postMessage(reply);
});
