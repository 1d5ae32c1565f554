import { join } from "node:path";
import { Command } from "commander";
import { resolveBrackets, venueAge, type LinearPerpetualSpec, type VenueProfile } from "@mstress/core";
import { alignedTable, formatAmount, formatPercent } from "../output/aligned-table.js";
import { displayPath, localVenueNames, readVenueFile, resolveVenueFile, shippedVenueFile, shippedVenueNames, venuesDirectory, type VenueFile } from "../venues/load-venue.js";
import { maxVenueAgeDays } from "../venues/venue-records.js";
import { nonNegativeNumber } from "../options/option-parsers.js";

interface VenuesOptions {
  json?: boolean;
  venuesDir?: string;
  maxVenueAge?: number;
}

interface VenueRow {
  readonly name: string;
  readonly title: string;
  readonly file: string;
  readonly origin: VenueFile["origin"];
  /** The file scenarios and `liq` use for this name: yours before the shipped one. */
  readonly used: boolean;
  readonly symbols: number;
  readonly asOf: string | null;
  readonly ageDays: number | null;
  readonly stale: boolean;
}

function ageText(row: { asOf: string | null; ageDays: number | null; stale: boolean }): [string, string] {
  if (row.asOf === null || row.ageDays === null) return ["undated", "unknown (stale)"];
  return [row.asOf.slice(0, 10), `${String(row.ageDays)} d${row.stale ? " (stale)" : ""}`];
}

function venueRows(options: VenuesOptions): VenueRow[] {
  const local = venuesDirectory(options.venuesDir);
  const maxAgeDays = maxVenueAgeDays(options.maxVenueAge);
  const now = Date.now();
  const row = (file: VenueFile, used: boolean): VenueRow => {
    const profile = readVenueFile(file);
    return { name: profile.name, title: profile.title, file: displayPath(file.path), origin: file.origin, used, symbols: Object.keys(profile.symbols).length, ...venueAge(profile, now, maxAgeDays) };
  };
  const yours = localVenueNames(local);
  return [
    ...yours.map((name) => row({ path: join(local, `${name}.yaml`), origin: "local" }, true)),
    ...shippedVenueNames().map((name) => row(shippedVenueFile(name), !yours.includes(name))),
  ].sort((a, b) => (a.name === b.name ? Number(b.used) - Number(a.used) : a.name < b.name ? -1 : 1));
}

function listVenues(options: VenuesOptions): void {
  const rows = venueRows(options);
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const table = rows.map((r) => [r.name, r.origin === "local" ? "yours" : r.used ? "shipped" : "shipped (yours is used)", String(r.symbols), ...ageText(r), r.file]);
  process.stdout.write(
    `${alignedTable([["venue", "origin", "symbols", "as of", "age", "file"], ...table], "left")}\n\n` +
      `Yours are in ${displayPath(venuesDirectory(options.venuesDir))}/ (mstress venue import writes there) and are used before the shipped ones. mstress venues <venue> lists its symbols.\n`,
  );
}

function symbolJson(profile: VenueProfile, symbol: string, spec: LinearPerpetualSpec): Record<string, unknown> {
  const group = (g: { source: string; asOf?: string | undefined }) => ({ source: g.source, asOf: g.asOf ?? null });
  return {
    symbol,
    base: spec.base,
    quote: spec.quote,
    tickSize: spec.tickSize,
    instrument: spec.instrument === undefined ? null : group(spec.instrument),
    brackets: { ...group(spec.brackets), tiers: resolveBrackets(profile.maintenanceConvention, spec.brackets.tiers) },
    fees: { taker: spec.fees.taker, maker: spec.fees.maker, ...group(spec.fees) },
    funding: { intervalHours: spec.funding.intervalHours, cap: spec.funding.cap, floor: spec.funding.floor, ...group(spec.funding) },
    liquidationFeeRate: { value: spec.liquidationFeeRate.value, ...group(spec.liquidationFeeRate) },
  };
}

function symbolRow(profile: VenueProfile, symbol: string, spec: LinearPerpetualSpec): string[] {
  const [first] = resolveBrackets(profile.maintenanceConvention, spec.brackets.tiers);
  const tierOne = first === undefined ? "-" : `<= ${formatAmount(first.cap, 0)} at ${String(first.maxLeverage)}x, MMR ${formatPercent(first.maintenanceRate, 3)}`;
  return [
    symbol,
    String(spec.tickSize),
    String(spec.brackets.tiers.length),
    tierOne,
    `${formatPercent(spec.fees.taker, 3)} / ${formatPercent(spec.fees.maker, 3)}`,
    `${String(spec.funding.intervalHours)} h, ±${formatPercent(spec.funding.cap, 3)}`,
    formatPercent(spec.liquidationFeeRate.value, 3),
    spec.brackets.asOf.slice(0, 10),
  ];
}

function listSymbols(reference: string, options: VenuesOptions): void {
  const file = resolveVenueFile(reference, "<venue>", process.cwd(), venuesDirectory(options.venuesDir));
  const profile = readVenueFile(file);
  const age = venueAge(profile, Date.now(), maxVenueAgeDays(options.maxVenueAge));
  const symbols = Object.entries(profile.symbols).sort(([a], [b]) => (a < b ? -1 : 1));
  if (options.json === true) {
    const json = { venue: profile.name, title: profile.title, file: displayPath(file.path), origin: file.origin, ...age, symbols: symbols.map(([symbol, spec]) => symbolJson(profile, symbol, spec)) };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const [asOf, ageLabel] = ageText(age);
  const header = ["symbol", "tick", "tiers", "tier 1", "taker / maker", "funding", "liq. fee", "brackets as of"];
  process.stdout.write(
    `${profile.name}: ${profile.title} (${displayPath(file.path)}), ${String(symbols.length)} symbols, as of ${asOf} (${ageLabel})\n\n` +
      `${alignedTable([header, ...symbols.map(([symbol, spec]) => symbolRow(profile, symbol, spec))], "left")}\n`,
  );
}

/** `mstress venues [venue]`: the venue files with their age, or one venue's symbols with tiers and fees. */
export function venuesCommand(): Command {
  return new Command("venues")
    .description("list venue files (yours in ./venues, then the shipped ones) with symbol count and as-of date; with a venue, its symbols, tiers and fees")
    .argument("[venue]", "a venue name or venue file: list its symbols")
    .option("--venues-dir <dir>", "folder of your own venue files (default ./venues)")
    .option("--max-venue-age <days>", "call figures older than this stale (default $MSTRESS_MAX_VENUE_AGE_DAYS or 90)", nonNegativeNumber)
    .option("--json", "print JSON instead of the table")
    .action((venue: string | undefined, options: VenuesOptions) => {
      if (venue === undefined) listVenues(options);
      else listSymbols(venue, options);
    });
}
