import { Worker } from "node:worker_threads";
import { MstressError, errorOfRecord, type WorkerErrorRecord } from "@mstress/core/errors";
import type { RowTables } from "./parquet-tables.js";
import { parquetWorkerFile } from "./parquet-worker-file.js";

/**
 * What the run asks of its Parquet thread: the tables of this (partial) results directory, from the rows when the
 * run sends them (writeParquetTablesOfRows), else from the directory's CSV.
 */
export interface ParquetRequest {
  readonly directory: string;
  readonly quoteCurrency: string;
  readonly rows?: RowTables;
}

/** The thread's one reply: written, or the error that stopped it (with its MstressError code or errno). */
export type ParquetReply = { readonly ok: true } | { readonly ok: false; readonly error: WorkerErrorRecord };

/**
 * The Parquet tables of a run written on a thread of their own while the main thread summarises the run and
 * writes its report. Started while the workers simulate, so the writer's modules are loaded by the time the
 * tables are closed. On two cores this takes the Parquet writing (~0.4 to 0.6 s at 10,000 paths) off the run's
 * tail, where it ran after the summary with the second core idle.
 */
export class ParquetThread {
  readonly #worker: Worker;
  readonly #reply: Promise<ParquetReply>;

  constructor() {
    const worker = new Worker(parquetWorkerFile());
    this.#worker = worker;
    this.#reply = new Promise<ParquetReply>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => {
        reject(new MstressError("E_INVARIANT", `the Parquet thread ended (exit code ${String(code)}) before it wrote the tables`));
      });
    });
    // Awaited by write(); a run that fails before then stops the thread, and its rejection is not unhandled.
    void this.#reply.catch(() => undefined);
  }

  /**
   * Writes the tables of `request.directory` (from its rows or its CSV); resolves when written. The rows' buffers
   * are transferred, not copied: the caller hands over arrays it no longer reads.
   */
  async write(request: ParquetRequest): Promise<void> {
    const buffers: ArrayBuffer[] = [];
    for (const table of Object.values(request.rows ?? {})) {
      const { buffer, byteOffset, byteLength } = table.rows;
      // Only an array that owns its whole buffer can go: a view would take the rest of the buffer from this thread.
      if (!(buffer instanceof ArrayBuffer) || byteOffset !== 0 || byteLength !== buffer.byteLength || buffers.includes(buffer)) {
        throw new MstressError("E_INVARIANT", "the Parquet thread takes arrays that own their buffers, one each; expected copies of the rows");
      }
      buffers.push(buffer);
    }
    this.#worker.postMessage(request, buffers);
    const reply = await this.#reply;
    if (!reply.ok) throw errorOfRecord(reply.error, "the Parquet thread");
  }

  /** Stops the thread (a run that failed or was interrupted): it writes nothing more once this resolves. */
  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}
