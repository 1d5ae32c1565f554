import { MstressError, isMstressError, type MstressErrorCode } from "./mstress-error.js";

/**
 * An error as it crosses the thread boundary: plain data. Structured cloning keeps an Error's message but drops its
 * class and own fields, so an MstressError thrown in a worker (an invariant, a bad input only the kernel sees)
 * would reach the main thread as an anonymous Error and exit 4 without its code, and a file system error without
 * its errno (ENOSPC). A thread (a simulation worker, the Parquet thread) sends this record instead, and the main
 * thread turns it back into the error it was (vitest serialises errors before postMessage the same way,
 * packages/utils/src/error.ts).
 */
export interface WorkerErrorRecord {
  readonly workerError: true;
  readonly code: MstressErrorCode | null;
  /** A file system error's errno code (ENOSPC, EACCES...), else null. */
  readonly errno: string | null;
  readonly name: string;
  readonly message: string;
  readonly stack: string | null;
}

export function serializeError(error: unknown): WorkerErrorRecord {
  if (error instanceof Error) {
    const errno = isMstressError(error) ? undefined : (error as NodeJS.ErrnoException).code;
    return { workerError: true, code: isMstressError(error) ? error.code : null, errno: typeof errno === "string" ? errno : null, name: error.name, message: error.message, stack: error.stack ?? null };
  }
  return { workerError: true, code: null, errno: null, name: "Error", message: String(error), stack: null };
}

export function isWorkerErrorRecord(value: unknown): value is WorkerErrorRecord {
  return typeof value === "object" && value !== null && (value as { workerError?: unknown }).workerError === true;
}

/**
 * The error a record stands for: an MstressError with its code, else an Error keeping its errno and the stack of
 * `thread` ("a simulation worker", "the Parquet thread").
 */
export function errorOfRecord(record: WorkerErrorRecord, thread = "a simulation worker"): Error {
  if (record.code !== null) return new MstressError(record.code, record.message);
  const error: NodeJS.ErrnoException = new Error(record.message);
  error.name = record.name;
  if (record.errno !== null) error.code = record.errno;
  if (record.stack !== null) error.stack = `${record.stack}\n    (in ${thread})`;
  return error;
}
