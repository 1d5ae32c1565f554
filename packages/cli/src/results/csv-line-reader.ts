import { closeSync, openSync, readSync } from "node:fs";

/**
 * The lines of a results CSV, read in 1 MB blocks so that a table of millions of rows never has to fit in one
 * string. Result files are ASCII (sim/src/tables/ascii-lines.ts). The empty line after the last newline is not
 * a line.
 */
export function* fileLines(file: string): Generator<string> {
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(1 << 20);
  let carry = "";
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      const lines = (carry + buffer.toString("latin1", 0, read)).split("\n");
      carry = lines.pop() ?? "";
      yield* lines;
    }
  } finally {
    closeSync(fd);
  }
  if (carry !== "") yield carry;
}

/** The lines of a CSV held in memory, as `fileLines` gives them. */
export function* textLines(text: string): Generator<string> {
  let start = 0;
  for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
    yield text.slice(start, end);
    start = end + 1;
  }
  if (start < text.length) yield text.slice(start);
}
