import { venueProfileSchema, type LinearPerpetualSpec, type VenueProfile } from "../venue-profile.js";
import { responseError } from "./api-response.js";
import { ImportProblems, optionalGroups, type ImportedPerpetual, type ImportResult, type OptionalGroup, type SkippedPerpetual, type VenueImporter } from "./imported-venue.js";

/** Fee rates given on the command line (`--taker`, `--maker`): they win over any response and the existing file. */
export interface FeeOverride {
  readonly taker: number;
  readonly maker: number;
}

/** What an import did, for the command to say: blocks kept, symbols replaced, added or dropped, figures carried. */
export interface ImportReport {
  /** Hand-written blocks kept from the existing file (the API does not serve them). */
  readonly kept: readonly string[];
  readonly replaced: readonly string[];
  readonly added: readonly string[];
  /** Symbols of the existing file that this import did not bring (not listed, or not asked for). */
  readonly dropped: readonly string[];
  /** One line per figure group not taken from a response: carried from the existing file, or a venue rule. */
  readonly carried: readonly string[];
  readonly skipped: readonly SkippedPerpetual[];
}

type Group<G extends OptionalGroup> = LinearPerpetualSpec[G];

interface Resolution<G extends OptionalGroup> {
  readonly group: Group<G>;
  readonly note: string | null;
}

const groupLabel: Readonly<Record<OptionalGroup, string>> = { fees: "fees", funding: "funding", liquidationFeeRate: "liquidation fee" };

/**
 * A group the responses did not give: the existing file's figure for the same symbol (hand-written or from an
 * earlier import, copied as is); else the venue's documented rule; else the existing file's first symbol's,
 * taken as venue-wide and marked [assumption]; else nothing, which is bad input.
 */
function resolveGroup<G extends OptionalGroup>(group: G, perpetual: ImportedPerpetual, importer: VenueImporter, existing: VenueProfile): Resolution<G> | null {
  const label = `${groupLabel[group]} of ${perpetual.symbol}`;
  const same = existing.symbols[perpetual.symbol]?.[group];
  if (same !== undefined) return { group: same, note: `${label}: kept from the existing file (the responses do not carry it)` };
  const rule = importer.rules[group] as ((p: ImportedPerpetual) => Group<G>) | undefined;
  if (rule !== undefined) return { group: rule(perpetual), note: `${label}: the venue's documented rule` };
  const [firstSymbol, firstSpec] = Object.entries(existing.symbols)[0] ?? [];
  if (firstSymbol === undefined || firstSpec === undefined) return null;
  const carried = firstSpec[group];
  const source = `[assumption] not served by ${importer.venue}'s API; ${firstSymbol}'s figure in the previous venue file, taken as venue-wide: ${carried.source}`;
  return { group: { ...carried, source }, note: `${label}: ${firstSymbol}'s in the existing file, taken as venue-wide [assumption]` };
}

function feeOverride(fees: FeeOverride): LinearPerpetualSpec["fees"] {
  return { taker: fees.taker, maker: fees.maker, source: `[given] --taker ${fees.taker} --maker ${fees.maker} on the command line of mstress venue import (the account's own rates)` };
}

function specOf(perpetual: ImportedPerpetual, groups: { [G in OptionalGroup]: Group<G> }): LinearPerpetualSpec {
  return {
    kind: "linear-perpetual",
    base: perpetual.base,
    quote: perpetual.quote,
    tickSize: perpetual.tickSize,
    instrument: perpetual.instrument,
    brackets: perpetual.brackets,
    fees: groups.fees,
    funding: groups.funding,
    liquidationFeeRate: groups.liquidationFeeRate,
  };
}

/**
 * The venue file an import writes: the perpetuals read from the responses (sorted by symbol), the groups their API
 * does not serve resolved as `resolveGroup` says, and the hand-written blocks (title, maintenance convention,
 * liquidation, portfolio margin) kept from `existing`, the file being replaced or the shipped one. A pure
 * function of its inputs, so the same responses give the same file.
 */
export function assembleVenueProfile(
  importer: VenueImporter,
  result: ImportResult,
  existing: VenueProfile,
  fees: FeeOverride | undefined,
): { profile: VenueProfile; report: ImportReport } {
  const problems = new ImportProblems();
  const carried: string[] = [];
  const symbols: Record<string, LinearPerpetualSpec> = {};
  for (const perpetual of [...result.perpetuals].sort((a, b) => (a.symbol < b.symbol ? -1 : 1))) {
    const resolved: Partial<{ [G in OptionalGroup]: Group<G> }> = {};
    for (const group of optionalGroups) {
      const given = group === "fees" && fees !== undefined ? feeOverride(fees) : perpetual[group];
      if (given !== undefined) {
        Object.assign(resolved, { [group]: given });
        if (given.source.startsWith("[assumption]")) carried.push(`${groupLabel[group]} of ${perpetual.symbol}: read with an [assumption] its source states`);
        continue;
      }
      const resolution = resolveGroup(group, perpetual, importer, existing);
      if (resolution === null) {
        problems.add(`${groupLabel[group]}: no figure for ${perpetual.symbol}: the responses do not carry it and the existing venue file has none${group === "fees" ? "; pass --taker and --maker" : ""}`);
        continue;
      }
      Object.assign(resolved, { [group]: resolution.group });
      if (resolution.note !== null) carried.push(resolution.note);
    }
    const { fees: feeGroup, funding, liquidationFeeRate } = resolved;
    if (feeGroup !== undefined && funding !== undefined && liquidationFeeRate !== undefined) symbols[perpetual.symbol] = specOf(perpetual, { fees: feeGroup, funding, liquidationFeeRate });
  }
  problems.throwIfAny();

  const profile: VenueProfile = {
    name: importer.venue,
    title: existing.title,
    maintenanceConvention: existing.maintenanceConvention,
    liquidation: existing.liquidation,
    ...(existing.portfolio === undefined ? {} : { portfolio: existing.portfolio }),
    symbols,
  };
  // Every response figure was checked where it was read; this catches what only the whole file can show.
  const checked = venueProfileSchema.safeParse(profile);
  if (!checked.success) throw responseError(checked.error.issues.map((issue) => `imported ${importer.venue}: ${issue.path.map(String).join(".")}: ${issue.message}`));

  const before = Object.keys(existing.symbols);
  const after = Object.keys(symbols);
  return {
    profile,
    report: {
      kept: ["title", "maintenanceConvention", "liquidation", ...(existing.portfolio === undefined ? [] : ["portfolio"])],
      replaced: after.filter((symbol) => before.includes(symbol)),
      added: after.filter((symbol) => !before.includes(symbol)),
      dropped: before.filter((symbol) => !after.includes(symbol)),
      carried,
      skipped: result.skipped,
    },
  };
}
