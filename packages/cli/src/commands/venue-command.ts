import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { importVenue, MstressError, venueImporter, venueImporters, type FeeOverride, type ImportReport, type VenueProfile } from "@mstress/core";
import { displayPath, readVenueFile, shippedVenueFile, venuesDirectory, type VenueFile } from "../venues/load-venue.js";
import { readSavedResponses } from "../venues/read-responses.js";
import { rate } from "../options/option-parsers.js";

interface ImportOptions {
  from: string;
  out?: string;
  symbols?: string[];
  taker?: number;
  maker?: number;
  venuesDir?: string;
}

function symbolList(value: string): string[] {
  const symbols = value.split(",").map((s) => s.trim());
  if (symbols.some((s) => s === "")) throw new InvalidArgumentError(`expected symbols separated by commas such as BTCUSDT,SOLUSDT, got ${JSON.stringify(value)}`);
  return symbols;
}

// A maker rate may be a rebate (negative), as the venue-file schema allows down to -1 %.
function makerRate(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < -0.01 || n >= 1) throw new InvalidArgumentError(`expected a rate in [-0.01, 1) such as 0.0002, got ${JSON.stringify(value)}`);
  return n;
}

function feeOverride(options: ImportOptions): FeeOverride | undefined {
  if (options.taker === undefined && options.maker === undefined) return undefined;
  if (options.taker === undefined || options.maker === undefined) throw new MstressError("E_BAD_INPUT", `--${options.taker === undefined ? "taker" : "maker"}: expected --taker and --maker together`);
  return { taker: options.taker, maker: options.maker };
}

/** The file whose hand-written blocks the import keeps: the one being replaced, else the shipped venue. */
function existingFile(out: string, venue: string): VenueFile {
  if (existsSync(out) && !statSync(out).isFile()) throw new MstressError("E_BAD_INPUT", `--out: ${displayPath(out)} is not a file; expected a venue file path such as venues/${venue}.yaml`);
  return existsSync(out) ? { path: out, origin: "path" } : shippedVenueFile(venue);
}

/** Writes the file whole or not at all: a hidden sibling renamed into place. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = join(dirname(path), `.${basename(path)}.partial-${String(process.pid)}`);
  try {
    writeFileSync(partial, text);
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

function list(symbols: readonly string[]): string {
  return symbols.length === 0 ? "none" : symbols.join(", ");
}

function reportLines(report: ImportReport, existing: string, ignored: readonly string[]): string[] {
  return [
    `kept from ${existing}: ${report.kept.join(", ")} (hand-written; the venue's API does not serve them)`,
    `replaced: ${list(report.replaced)}`,
    `added: ${list(report.added)}`,
    ...(report.dropped.length === 0 ? [] : [`dropped (not in this import): ${list(report.dropped)}`]),
    ...report.carried.map((line) => `note: ${line}`),
    ...report.skipped.map((s) => `skipped ${s.symbol}: ${s.reason}`),
    ...(ignored.length === 0 ? [] : [`ignored (no endpoint of this venue): ${ignored.join(", ")}`]),
  ];
}

/** `mstress venue import <venue> --from <dir>`: a venue file from the venue's own API responses. */
function importCommand(): Command {
  return new Command("import")
    .description("write a venue file with every perpetual the venue lists, from its API responses saved with curl (README: Venue files)")
    .argument("<venue>", `the venue: ${Object.keys(venueImporters).join(", ")}`)
    .requiredOption("--from <dir>", "folder holding the saved responses (exchangeInfo.json, leverageBracket.json, ...)")
    .option("--out <file>", "venue file to write (default: <venues dir>/<venue>.yaml)")
    .addOption(new Option("--symbols <list>", "import only these, e.g. BTCUSDT,SOLUSDT (each must be listed)").argParser(symbolList))
    .option("--taker <rate>", "your taker fee rate, for every symbol (with --maker)", rate)
    .option("--maker <rate>", "your maker fee rate, for every symbol (with --taker)", makerRate)
    .option("--venues-dir <dir>", "folder of your own venue files (default ./venues)")
    .action((venue: string, options: ImportOptions) => {
      const importer = venueImporter(venue);
      const fees = feeOverride(options);
      const out = resolve(options.out ?? join(venuesDirectory(options.venuesDir), `${venue}.yaml`));
      const existing = existingFile(out, venue);
      const existingProfile: VenueProfile = readVenueFile(existing);
      const saved = readSavedResponses(resolve(options.from), importer);
      // Everything is read and checked before anything is written: bad input leaves the old file as it was.
      const imported = importVenue({ importer, responses: saved.byRole, symbols: options.symbols, existing: existingProfile, fees });
      const unchanged = existsSync(out) && readFileSync(out, "utf8") === imported.yaml;
      if (!unchanged) writeAtomically(out, imported.yaml);
      const symbols = Object.keys(imported.profile.symbols);
      const lines = [
        `${unchanged ? "unchanged" : "wrote"} ${displayPath(out)}: ${symbols.length} perpetuals from ${saved.count} response${saved.count === 1 ? "" : "s"} in ${displayPath(resolve(options.from))}`,
        ...reportLines(imported.report, existing.origin === "shipped" ? `the shipped ${venue}.yaml` : displayPath(existing.path), saved.ignored),
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}

/** `mstress venue import ...`: the venue-file commands that change files. */
export function venueCommand(): Command {
  return new Command("venue")
    .description("venue files: `mstress venue import <venue> --from <dir>` refreshes one from the venue's API responses")
    .addCommand(importCommand().exitOverride().configureOutput({ writeErr: () => undefined }));
}
