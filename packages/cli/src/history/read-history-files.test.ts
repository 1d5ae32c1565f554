import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { historyLimits, readHistoryFile, readHistoryTexts } from "./read-history-files.js";

const work = mkdtempSync(join(tmpdir(), "mstress-history-files-"));

// Three hourly bars of a generic OHLC CSV: a 30-byte header line, two 36-byte rows and a 37-byte one (its low has
// three digits), 139 bytes in all.
const csv = `timestamp,open,high,low,close
2024-01-01T00:00:00Z,100,101,99,100
2024-01-01T01:00:00Z,100,102,99,101
2024-01-01T02:00:00Z,101,103,100,102
`;
const csvBytes = strToU8(csv).length;

/** Message of what `read` throws, or "" when it does not throw. */
function refusal(read: () => unknown): string {
  try {
    read();
    return "";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe("history files go through the bounded reader of every input", () => {
  execFileSync("mkfifo", [join(work, "prices.fifo")]);

  it("refuses a FIFO named as history, naming the flag and the file, without waiting on it", () => {
    // Opened non-blocking and checked on the descriptor: a FIFO nobody writes to would block a plain read forever.
    const fifo = join(work, "prices.fifo");
    expect(refusal(() => readHistoryFile(fifo, { field: "--history" }))).toBe(`--history: ${JSON.stringify(fifo)} is not a regular file (a FIFO, device or socket); expected a history file (CSV, JSON or .zip) of at most 128 MiB`);
  });

  it("refuses /dev/zero (endless) and a missing file", () => {
    expect(refusal(() => readHistoryFile("/dev/zero", { field: "prices" }))).toMatch(/^prices: "\/dev\/zero" is not a regular file \(a FIFO, device or socket\)/);
    expect(refusal(() => readHistoryFile(join(work, "nope.csv"), { field: "--funding" }))).toMatch(/^--funding: ".*nope\.csv" does not exist; expected a history file/);
  });

  it("refuses a file over the limit before reading it (the limit lowered by the parameter)", () => {
    const path = join(work, "three-bars.csv");
    writeFileSync(path, csv);
    expect(historyLimits.file).toBe(128 * 1024 * 1024);
    expect(csvBytes).toBe(30 + 36 + 36 + 37);
    // At exactly its own size the file is read; one byte less and it is refused.
    expect(readHistoryFile(path, { field: "--history", limits: { file: csvBytes, unzipped: csvBytes } }).prices[0]?.rows).toHaveLength(3);
    expect(refusal(() => readHistoryFile(path, { field: "--history", limits: { file: csvBytes - 1, unzipped: csvBytes } }))).toContain(`is ${String(csvBytes)} bytes; expected a history file (CSV, JSON or .zip) of at most ${String(csvBytes - 1)} bytes`);
  });

  it("names a file by its base name (calibrate) or by its path as given (backtest), a zip's entry after a colon", () => {
    const path = join(work, "BTCUSDT-1h-2024-01.zip");
    writeFileSync(path, zipSync({ "BTCUSDT-1h-2024-01.csv": strToU8(csv) }));
    expect(readHistoryTexts(path, { field: "prices" }).entries.map((e) => e.origin)).toEqual(["BTCUSDT-1h-2024-01.zip:BTCUSDT-1h-2024-01.csv"]);
    expect(readHistoryTexts(path, { field: "--history", naming: "path" }).entries.map((e) => e.origin)).toEqual([`${path}:BTCUSDT-1h-2024-01.csv`]);
  });
});

describe("zip entries are unpacked only up to a cap on their declared size", () => {
  const path = join(work, "dump.zip");
  // Deflated (zipSync's default level 6), so the entry is inflated into a buffer of its declared size: the CSV's
  // length. The second entry is not a .csv or .json and is neither counted nor unpacked.
  writeFileSync(path, zipSync({ "dump.csv": strToU8(csv), "README.txt": strToU8("x".repeat(10_000)) }));

  it("unpacks an entry whose declared size is the cap", () => {
    const read = readHistoryFile(path, { field: "--history", limits: { file: historyLimits.file, unzipped: csvBytes } });
    expect(read.prices.map((p) => [p.origin, p.rows.length])).toEqual([["dump.zip:dump.csv", 3]]);
  });

  it("refuses an entry declared one byte over the cap, naming the flag, the zip and the entry", () => {
    const message = refusal(() => readHistoryFile(path, { field: "--history", limits: { file: historyLimits.file, unzipped: csvBytes - 1 } }));
    expect(message).toBe(`--history: ${JSON.stringify(path)}: entry "dump.csv" unpacks to ${String(csvBytes)} bytes, ${String(csvBytes)} bytes with the entries before it; expected a zip whose .csv and .json entries unpack to at most ${String(csvBytes - 1)} bytes`);
  });

  it("counts the entries together: two entries of the CSV's size pass a cap of twice it, not one byte less", () => {
    const two = join(work, "two.zip");
    writeFileSync(two, zipSync({ "a.csv": strToU8(csv), "b.csv": strToU8(csv) }));
    expect(readHistoryFile(two, { field: "prices", limits: { file: historyLimits.file, unzipped: 2 * csvBytes } }).prices).toHaveLength(2);
    expect(refusal(() => readHistoryFile(two, { field: "prices", limits: { file: historyLimits.file, unzipped: 2 * csvBytes - 1 } }))).toContain(`entry "b.csv" unpacks to ${String(csvBytes)} bytes, ${String(2 * csvBytes)} bytes with the entries before it`);
  });

  it("refuses a zip whose central directory declares 4 GiB for a small entry, at the default cap, before inflating", () => {
    // A zip bomb's shape without its size: the central directory record (signature 0x02014b50) keeps the entry's
    // uncompressed size at offset 24 (PKWARE APPNOTE 4.3.12); it is rewritten to 0xFFFFFFFE = 4 GiB - 2 bytes.
    const bytes = zipSync({ "bomb.csv": strToU8(csv) });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const central = bytes.findIndex((_, i) => i + 4 <= bytes.length && view.getUint32(i, true) === 0x02014b50);
    expect(central).toBeGreaterThan(0);
    view.setUint32(central + 24, 0xfffffffe, true);
    const bomb = join(work, "bomb.zip");
    writeFileSync(bomb, bytes);
    expect(refusal(() => readHistoryFile(bomb, { field: "--history" }))).toBe(`--history: ${JSON.stringify(bomb)}: entry "bomb.csv" unpacks to 4096 MiB, 4096 MiB with the entries before it; expected a zip whose .csv and .json entries unpack to at most 128 MiB`);
  });
});
