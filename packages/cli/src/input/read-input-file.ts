import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { MstressError } from "@mstress/core";

/**
 * The largest file of each kind mstress reads, in bytes. A scenario or a venue profile is a few kilobytes; a
 * price CSV of six years of hourly rows is about 2 MB, of four years of minutes about 70 MB. Anything larger is
 * almost surely the wrong file (a 50 MB scenario once took 2.4 GB to parse), so it is refused before it is read.
 */
export const inputLimits = {
  scenario: 1024 * 1024,
  venue: 1024 * 1024,
  csv: 128 * 1024 * 1024,
  manifest: 1024 * 1024,
  summary: 16 * 1024 * 1024,
  /** A venue's saved API response: Binance's exchangeInfo or leverageBracket for every symbol is about 1 MB. */
  response: 64 * 1024 * 1024,
  history: 128 * 1024 * 1024,
} as const;

export type InputKind = keyof typeof inputLimits;

const kindNames: Record<InputKind, string> = {
  scenario: "a scenario file (YAML)",
  venue: "a venue file (YAML or JSON)",
  csv: "a CSV file",
  manifest: "a manifest.json",
  summary: "a summary.json",
  response: "a saved API response (JSON)",
  history: "a history file (CSV, JSON or .zip)",
};

/** 1 MiB, 128 MiB: the limits as the errors state them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${String(bytes)} bytes`;
}

/**
 * Reads a file given on the command line or named in a scenario, refusing anything but a regular file of at most
 * the kind's limit, with one line naming `field` and the path: a missing file, a directory, a FIFO (which would
 * block forever), a device such as /dev/zero (endless), a file too large. The file is opened without blocking and
 * checked on the open descriptor, so what is checked is what is read; at most limit + 1 bytes are ever read (a
 * file growing while read is refused too). Never quotes the file's content.
 */
export function readInputFile(path: string, kind: InputKind, field: string, limit: number = inputLimits[kind]): string {
  return readInputBytes(path, kind, field, limit).toString("utf8");
}

/** readInputFile's bytes, for a file that is not text (a zip) or whose bytes are hashed as they lie on disk. */
export function readInputBytes(path: string, kind: InputKind, field: string, limit: number = inputLimits[kind]): Buffer {
  const expected = `expected ${kindNames[kind]} of at most ${formatBytes(limit)}`;
  const refuse = (what: string): MstressError => new MstressError("E_BAD_INPUT", `${field}: ${JSON.stringify(path)} ${what}; ${expected}`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw refuse(openProblem(error));
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw refuse("is a directory");
    if (!stats.isFile()) throw refuse("is not a regular file (a FIFO, device or socket)");
    if (stats.size > limit) throw refuse(`is ${formatBytes(stats.size)}`);
    const buffer = Buffer.allocUnsafe(Math.min(limit, stats.size) + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > limit) throw refuse(`is larger than ${formatBytes(limit)} (it grew while read)`);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof MstressError) throw error;
    throw refuse(openProblem(error));
  } finally {
    closeSync(fd);
  }
}

function openProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "does not exist";
    case "ENOTDIR":
      return "does not exist (a part of the path is not a directory)";
    case "EACCES":
    case "EPERM":
      return "cannot be read (permission denied)";
    case "EISDIR":
      return "is a directory";
    default:
      return `cannot be read (${code ?? String(error)})`;
  }
}
