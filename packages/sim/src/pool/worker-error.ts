import { MstressError, isMstressError, type MstressErrorCode } from "@mstress/core/engine";

/**
 * An error as it crosses the thread boundary: plain data. Structured cloning keeps an Error's message but drops its
 * class and own fields, so an MstressError thrown in a worker (an invariant, a bad input only the kernel sees)
 * would reach the main thread as an anonymous Error and exit 4 without its code. The worker throws this record
 * instead, and the pool turns it back into the error it was (vitest serialises errors before postMessage the
 * same way, packages/utils/src/error.ts).
 */
export interface WorkerErrorRecord {
  readonly workerError: true;
  readonly code: MstressErrorCode | null;
  readonly name: string;
  readonly message: string;
  readonly stack: string | null;
}

export function serializeError(error: unknown): WorkerErrorRecord {
  if (error instanceof Error) {
    return { workerError: true, code: isMstressError(error) ? error.code : null, name: error.name, message: error.message, stack: error.stack ?? null };
  }
  return { workerError: true, code: null, name: "Error", message: String(error), stack: null };
}

export function isWorkerErrorRecord(value: unknown): value is WorkerErrorRecord {
  return typeof value === "object" && value !== null && (value as { workerError?: unknown }).workerError === true;
}

/** The error a record stands for: an MstressError with its code, else an Error keeping the worker's stack. */
export function errorOfRecord(record: WorkerErrorRecord): Error {
  if (record.code !== null) return new MstressError(record.code, record.message);
  const error = new Error(record.message);
  error.name = record.name;
  if (record.stack !== null) error.stack = `${record.stack}\n    (in a simulation worker)`;
  return error;
}
