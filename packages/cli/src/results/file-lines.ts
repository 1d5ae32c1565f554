import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { createHash } from "node:crypto";
import { MstressError } from "@mstress/core";

const chunkBytes = 1024 * 1024;

function openRegularFile(path: string, origin: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MstressError("E_BAD_INPUT", `${origin}: ${code === "ENOENT" ? "is missing" : `cannot be read (${code ?? String(error)})`}; expected the file the run wrote`);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new MstressError("E_BAD_INPUT", `${origin}: is not a regular file; expected the file the run wrote`);
  }
  return fd;
}

/**
 * The lines of a results table (ASCII, `\n`-separated, a last empty line dropped), read a megabyte at a time so
 * that a table of millions of rows never sits in memory as one string or an array of lines: the readers parse
 * each line into typed arrays and let it go.
 */
export function* fileLines(path: string, origin: string): Generator<string, void, undefined> {
  const fd = openRegularFile(path, origin);
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let carry = "";
    for (let read = readSync(fd, buffer, 0, chunkBytes, null); read > 0; read = readSync(fd, buffer, 0, chunkBytes, null)) {
      const text = carry + buffer.toString("latin1", 0, read);
      let start = 0;
      for (let end = text.indexOf("\n", start); end >= 0; end = text.indexOf("\n", start)) {
        yield text.slice(start, end);
        start = end + 1;
      }
      carry = text.slice(start);
    }
    if (carry !== "") yield carry;
  } finally {
    closeSync(fd);
  }
}

/** SHA-256 and size of a file, read a megabyte at a time. */
export function fileSha256(path: string, origin: string): { sha256: string; bytes: number } {
  const fd = openRegularFile(path, origin);
  try {
    const hash = createHash("sha256");
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let bytes = 0;
    for (let read = readSync(fd, buffer, 0, chunkBytes, null); read > 0; read = readSync(fd, buffer, 0, chunkBytes, null)) {
      hash.update(buffer.subarray(0, read));
      bytes += read;
    }
    return { sha256: hash.digest("hex"), bytes };
  } finally {
    closeSync(fd);
  }
}
