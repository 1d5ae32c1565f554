import { createHash } from "node:crypto";
import { basename } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { MstressError, readBasisText, readHistoryText, type BasisFile, type FundingFile, type PriceFile } from "@mstress/core";
import { formatBytes, inputLimits, readInputBytes } from "../input/read-input-file.js";

/** A history file read from disk: its series (one per CSV or JSON inside a zip) and the SHA-256 of its bytes. */
export interface ReadHistoryFile {
  readonly path: string;
  readonly sha256: string;
  readonly prices: readonly PriceFile[];
  readonly funding: readonly FundingFile[];
}

/** How much a history file may hold, in bytes. */
export interface HistoryLimits {
  /** The file as it lies on disk (a CSV, a JSON or a zip): read through the bounded reader of every input. */
  readonly file: number;
  /**
   * What a zip's `.csv` and `.json` entries unpack to, in all, by the sizes the zip declares: checked before any
   * entry is inflated (fflate inflates an entry into a buffer of its declared size and no further), so a small zip
   * cannot make mstress allocate gigabytes. The CSV limit: an entry is a CSV.
   */
  readonly unzipped: number;
}

export const historyLimits: HistoryLimits = { file: inputLimits.history, unzipped: inputLimits.csv };

export interface HistoryReadOptions {
  /** The flag or argument the files were given by, for messages (`--history`, `--funding`, `prices`). */
  readonly field: string;
  /**
   * How a file is named in its rows' origins, and so in every message about a line of it: by its base name
   * (calibrate) or by the path as given (backtest). An entry of a zip is `<name>:<entry>`.
   */
  readonly naming?: "basename" | "path";
  readonly limits?: HistoryLimits;
}

/** One history file's texts as read from disk: itself, or each `.csv`/`.json` inside a zip, with the bytes' SHA-256. */
export interface HistoryTexts {
  readonly path: string;
  readonly sha256: string;
  readonly entries: readonly { readonly origin: string; readonly text: string }[];
}

/**
 * Reads a history file as a desk has it: a CSV or a saved JSON response, or one of Binance's monthly `.zip` dumps
 * read directly (fflate; each `.csv` or `.json` inside is its own file, named `dump.zip:entry.csv`), so no unzip
 * step is needed. Only a regular file of at most `limits.file` bytes is read (a FIFO or /dev/zero is refused, not
 * waited on), and a zip's entries only up to `limits.unzipped` bytes unpacked. A missing file, an unreadable zip
 * or a zip with no CSV is bad input naming the file.
 */
export function readHistoryTexts(path: string, options: HistoryReadOptions): HistoryTexts {
  const limits = options.limits ?? historyLimits;
  const bytes = readInputBytes(path, "history", options.field, limits.file);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const name = options.naming === "path" ? path : basename(path);
  const entries = path.toLowerCase().endsWith(".zip") ? zipEntries(bytes, { path, name }, options.field, limits.unzipped) : [{ origin: name, text: bytes.toString("utf8") }];
  return { path, sha256, entries };
}

function zipEntries(bytes: Uint8Array, { path, name }: { readonly path: string; readonly name: string }, field: string, unzippedLimit: number): { origin: string; text: string }[] {
  let files: Record<string, Uint8Array>;
  let declared = 0;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (!/\.(csv|json)$/i.test(file.name)) return false;
        // A stored entry is `size` bytes of the zip itself; a deflated one is inflated into `originalSize` bytes.
        declared += Math.max(file.size, file.originalSize);
        if (declared > unzippedLimit) {
          throw new MstressError("E_BAD_INPUT", `${field}: ${JSON.stringify(path)}: entry ${JSON.stringify(file.name)} unpacks to ${formatBytes(file.originalSize)}, ${formatBytes(declared)} with the entries before it; expected a zip whose .csv and .json entries unpack to at most ${formatBytes(unzippedLimit)}`);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof MstressError) throw error;
    throw new MstressError("E_BAD_INPUT", `${name}: expected a zip archive, could not read it (${error instanceof Error ? error.message : String(error)})`);
  }
  const entries = Object.entries(files).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) throw new MstressError("E_BAD_INPUT", `${name}: expected a zip holding a .csv or .json file (a Binance monthly dump), found none`);
  return entries.map(([entry, data]) => ({ origin: `${name}:${entry}`, text: strFromU8(data) }));
}

/** A price or funding file read in the format its content shows (core's readers). */
export function readHistoryFile(path: string, options: HistoryReadOptions): ReadHistoryFile {
  const { sha256, entries } = readHistoryTexts(path, options);
  const read = entries.map((entry) => readHistoryText(entry.text, entry.origin));
  return {
    path,
    sha256,
    prices: read.flatMap((r) => (r.kind === "price" ? [r.file] : [])),
    funding: read.flatMap((r) => (r.kind === "funding" ? [r.file] : [])),
  };
}

/** Price files from `paths`: each must hold prices, not funding. */
export function readPriceFiles(paths: readonly string[], options: HistoryReadOptions): { files: readonly PriceFile[]; read: readonly ReadHistoryFile[] } {
  const read = paths.map((path) => readHistoryFile(path, options));
  for (const file of read) if (file.funding.length > 0) throw new MstressError("E_BAD_INPUT", `${options.field}: ${JSON.stringify(file.path)} holds funding rates (${file.funding[0]?.format ?? ""}); expected prices (give funding with --funding)`);
  return { files: read.flatMap((file) => file.prices), read };
}

/** Funding files from `paths`: each must hold funding, not prices. */
export function readFundingFiles(paths: readonly string[], options: HistoryReadOptions): { files: readonly FundingFile[]; read: readonly ReadHistoryFile[] } {
  const read = paths.map((path) => readHistoryFile(path, options));
  for (const file of read) if (file.prices.length > 0) throw new MstressError("E_BAD_INPUT", `${options.field}: ${JSON.stringify(file.path)} holds prices (${file.prices[0]?.format ?? ""}); expected funding rates`);
  return { files: read.flatMap((file) => file.funding), read };
}

/**
 * Basis files from `paths`, read as basis whatever they look like (a premium index klines dump has the layout of a
 * price klines dump, so the flag, not the content, says which it is), each series with its file's SHA-256.
 */
export function readBasisFiles(paths: readonly string[], options: HistoryReadOptions): { files: readonly BasisFile[]; sha256: readonly string[] } {
  const read = paths.flatMap((path) => {
    const { sha256, entries } = readHistoryTexts(path, options);
    return entries.map((entry) => ({ file: readBasisText(entry.text, entry.origin), sha256 }));
  });
  return { files: read.map((r) => r.file), sha256: read.map((r) => r.sha256) };
}
