import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { MstressError, readHistoryText, type FundingFile, type PriceFile } from "@mstress/core";

/** A history file read from disk: its series (one per CSV or JSON inside a zip) and the SHA-256 of its bytes. */
export interface ReadHistoryFile {
  readonly path: string;
  readonly sha256: string;
  readonly prices: readonly PriceFile[];
  readonly funding: readonly FundingFile[];
}

/**
 * Reads history files as a desk has them: a CSV or a saved JSON response, or one of Binance's monthly `.zip` dumps
 * read directly (fflate; each `.csv` inside is read as its own file, named `dump.zip:entry.csv`), so no unzip step
 * is needed. Formats are detected from content by core's readers; a missing file, an unreadable zip or a zip with
 * no CSV is bad input.
 */
export function readHistoryFile(path: string, field: string): ReadHistoryFile {
  if (!existsSync(path) || !statSync(path).isFile()) throw new MstressError("E_BAD_INPUT", `${field}: ${JSON.stringify(path)} is not a file`);
  const bytes = readFileSync(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const name = basename(path);
  const entries = path.toLowerCase().endsWith(".zip") ? zipEntries(bytes, name) : [{ origin: name, text: bytes.toString("utf8") }];
  const read = entries.map((entry) => readHistoryText(entry.text, entry.origin));
  return {
    path,
    sha256,
    prices: read.flatMap((r) => (r.kind === "price" ? [r.file] : [])),
    funding: read.flatMap((r) => (r.kind === "funding" ? [r.file] : [])),
  };
}

function zipEntries(bytes: Uint8Array, name: string): { origin: string; text: string }[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (file) => /\.(csv|json)$/i.test(file.name) });
  } catch (error) {
    throw new MstressError("E_BAD_INPUT", `${name}: expected a zip archive, could not read it (${error instanceof Error ? error.message : String(error)})`);
  }
  const entries = Object.entries(files).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) throw new MstressError("E_BAD_INPUT", `${name}: expected a zip holding a .csv or .json file (a Binance monthly dump), found none`);
  return entries.map(([entry, data]) => ({ origin: `${name}:${entry}`, text: strFromU8(data) }));
}

/** Price files from `paths`: each must hold prices, not funding. */
export function readPriceFiles(paths: readonly string[]): { files: readonly PriceFile[]; read: readonly ReadHistoryFile[] } {
  const read = paths.map((path) => readHistoryFile(path, "prices"));
  for (const file of read) if (file.funding.length > 0) throw new MstressError("E_BAD_INPUT", `prices: ${JSON.stringify(file.path)} holds funding rates (${file.funding[0]?.format ?? ""}); expected prices (give funding with --funding)`);
  return { files: read.flatMap((file) => file.prices), read };
}

/** Funding files from `paths`: each must hold funding, not prices. */
export function readFundingFiles(paths: readonly string[]): { files: readonly FundingFile[]; read: readonly ReadHistoryFile[] } {
  const read = paths.map((path) => readHistoryFile(path, "--funding"));
  for (const file of read) if (file.prices.length > 0) throw new MstressError("E_BAD_INPUT", `--funding: ${JSON.stringify(file.path)} holds prices (${file.prices[0]?.format ?? ""}); expected funding rates`);
  return { files: read.flatMap((file) => file.funding), read };
}
