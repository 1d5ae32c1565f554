import type { LinearPerpetualSpec } from "../venue-profile.js";
import { responseError, type ApiResponse, type VenueEndpoint } from "./api-response.js";

/** One perpetual as read from a venue's responses; the groups its API does not serve are left out. */
export interface ImportedPerpetual {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: number;
  readonly instrument: { readonly source: string; readonly asOf: string };
  readonly brackets: LinearPerpetualSpec["brackets"];
  readonly fees?: LinearPerpetualSpec["fees"];
  readonly funding?: LinearPerpetualSpec["funding"];
  readonly liquidationFeeRate?: LinearPerpetualSpec["liquidationFeeRate"];
}

/** The groups an importer may leave out, to be carried from the existing file or set by a venue-wide rule. */
export type OptionalGroup = "fees" | "funding" | "liquidationFeeRate";
export const optionalGroups: readonly OptionalGroup[] = ["fees", "funding", "liquidationFeeRate"];

export interface SkippedPerpetual {
  readonly symbol: string;
  readonly reason: string;
}

export interface ImportResult {
  readonly perpetuals: readonly ImportedPerpetual[];
  /** Listed perpetuals left out (only when --symbols did not ask for them), with why. */
  readonly skipped: readonly SkippedPerpetual[];
}

/** The saved responses of one import, by endpoint role (several for paged endpoints). */
export type ResponsesByRole = ReadonlyMap<string, readonly ApiResponse[]>;

/** A venue's documented rule for a group its API does not serve (e.g. Hyperliquid's hourly 4 % funding cap). */
export type VenueRules = { readonly [G in OptionalGroup]?: (perpetual: ImportedPerpetual) => NonNullable<ImportedPerpetual[G]> };

export interface VenueImporter {
  /** The venue file it writes (`binance-usdm`), whose hand-written blocks it keeps. */
  readonly venue: string;
  readonly endpoints: readonly VenueEndpoint[];
  readonly rules: VenueRules;
  readonly read: (responses: ResponsesByRole, symbols: readonly string[] | undefined) => ImportResult;
}

/** Collects every problem of an import so that one run reports them all, then fails (nothing written). */
export class ImportProblems {
  readonly #lines: string[] = [];

  add(line: string): void {
    this.#lines.push(line);
  }

  throwIfAny(): void {
    if (this.#lines.length > 0) throw responseError(this.#lines);
  }
}

/** The responses saved for `role`: exactly one when the endpoint takes one (the CLI checks presence). */
export function responsesOf(responses: ResponsesByRole, endpoint: VenueEndpoint): readonly ApiResponse[] {
  return responses.get(endpoint.role) ?? [];
}

export function onlyResponse(responses: ResponsesByRole, endpoint: VenueEndpoint): ApiResponse {
  const [response] = responsesOf(responses, endpoint);
  if (response === undefined) throw responseError([`${endpoint.role}.json: missing; save the response of ${endpoint.request} under that name (README: Venue files)`]);
  return response;
}

/**
 * The perpetuals to import: every one listed, or those `--symbols` asks for. A symbol asked for that the venue
 * does not list is bad input naming the file and the JSON path searched.
 */
export function selectSymbols(listed: readonly string[], requested: readonly string[] | undefined, where: { readonly file: string; readonly path: string }, problems: ImportProblems): string[] {
  if (requested === undefined) return [...listed].sort();
  const known = new Set(listed);
  for (const symbol of requested) {
    if (!known.has(symbol)) problems.add(`${where.file}: ${where.path}: ${JSON.stringify(symbol)} is not listed as a trading perpetual; --symbols asked for it (listed: ${listed.length} symbols, e.g. ${[...listed].sort().slice(0, 3).join(", ")})`);
  }
  return [...new Set(requested)].filter((symbol) => known.has(symbol)).sort();
}

/** A listed perpetual the responses cannot complete: bad input when --symbols asked for it, else skipped with why. */
export function missingPerpetual(
  requested: readonly string[] | undefined,
  problems: ImportProblems,
  skipped: SkippedPerpetual[],
  missing: { readonly symbol: string; readonly line: string; readonly reason: string },
): void {
  if (requested !== undefined) problems.add(missing.line);
  else skipped.push({ symbol: missing.symbol, reason: missing.reason });
}

/** One tier as read, with where its edges sit in the response for messages. */
export interface RawTier {
  readonly floor: number;
  readonly cap: number;
  readonly maxLeverage: number;
  readonly maintenanceRate?: number;
  readonly maintenanceAmount?: number;
  /** JSON paths of the tier's floor and cap fields. */
  readonly floorPath: string;
  readonly capPath: string;
}

/**
 * Checks a tier table meets end to end from 0 (each floor the previous cap: a gap or an overlap is bad input,
 * named by file and JSON path) with sane rates, and returns it in the venue-file schema.
 */
export function contiguousTiers(file: string, symbol: string, tiers: readonly RawTier[], problems: ImportProblems): LinearPerpetualSpec["brackets"]["tiers"] {
  tiers.forEach((tier, index) => {
    const previous = tiers[index - 1];
    const name = `${symbol} tier ${index + 1}`;
    if (previous === undefined && tier.floor !== 0) problems.add(`${file}: ${tier.floorPath}: ${name} starts at ${tier.floor}; expected the first tier to start at 0`);
    if (previous !== undefined && tier.floor > previous.cap) problems.add(`${file}: ${tier.floorPath}: ${name} starts at ${tier.floor}, leaving a gap after tier ${index}'s cap ${previous.cap}; expected tiers that meet`);
    if (previous !== undefined && tier.floor < previous.cap) problems.add(`${file}: ${tier.floorPath}: ${name} starts at ${tier.floor}, overlapping tier ${index} (cap ${previous.cap}); expected tiers that meet`);
    if (!(tier.cap > tier.floor)) problems.add(`${file}: ${tier.capPath}: ${name} ends at ${tier.cap}; expected a cap above its floor ${tier.floor}`);
    if (!(tier.maxLeverage > 0)) problems.add(`${file}: ${tier.floorPath}: ${name} has max leverage ${tier.maxLeverage}; expected a positive leverage`);
    if (tier.maintenanceRate !== undefined && !(tier.maintenanceRate >= 0 && tier.maintenanceRate < 1)) {
      problems.add(`${file}: ${tier.floorPath}: ${name} has maintenance rate ${tier.maintenanceRate}; expected a fraction in [0, 1)`);
    }
  });
  return tiers.map((tier) => ({
    floor: tier.floor,
    cap: tier.cap,
    maxLeverage: tier.maxLeverage,
    ...(tier.maintenanceRate === undefined ? {} : { maintenanceRate: tier.maintenanceRate }),
    ...(tier.maintenanceAmount === undefined ? {} : { maintenanceAmount: tier.maintenanceAmount }),
  }));
}
