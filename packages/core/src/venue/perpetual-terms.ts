import { resolveBrackets, type MaintenanceBracket } from "./maintenance-bracket.js";
import type { MaintenanceConvention, PartialLiquidation, VenueProfile } from "./venue-profile.js";
import { MstressError } from "../errors/mstress-error.js";
import { internedString } from "./interned-string.js";

/** Everything the margin and liquidation formulas need to know about one perpetual on one venue. */
export interface PerpetualTerms {
  readonly venue: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly convention: MaintenanceConvention;
  readonly brackets: readonly MaintenanceBracket[];
  readonly takerFeeRate: number;
  readonly makerFeeRate: number;
  readonly liquidationFeeRate: number;
  readonly fundingIntervalHours: number;
  readonly fundingCap: number;
  readonly fundingFloor: number;
  readonly tickSize: number;
  readonly partialLiquidation: PartialLiquidation;
}

/**
 * Overrides for reproducing a venue's own published example when its tiers have since changed: a single bracket
 * with this maintenance rate and amount, and this taker fee rate.
 */
export interface TermsOverrides {
  readonly maintenanceRate?: number;
  readonly maintenanceAmount?: number;
  readonly takerFeeRate?: number;
}

export function perpetualTerms(venue: VenueProfile, symbol: string, overrides: TermsOverrides = {}): PerpetualTerms {
  const spec = venue.symbols[symbol];
  if (spec === undefined) {
    throw new MstressError(
      "E_UNKNOWN_SYMBOL",
      `symbol: ${JSON.stringify(symbol)} is not listed by venue ${venue.name}; expected one of ${Object.keys(venue.symbols).join(", ")}`,
    );
  }
  let brackets = resolveBrackets(venue.maintenanceConvention, spec.brackets.tiers);
  if (overrides.maintenanceRate !== undefined || overrides.maintenanceAmount !== undefined) {
    const first = brackets[0];
    brackets = [
      {
        tier: first?.tier ?? 1,
        floor: 0,
        cap: Number.POSITIVE_INFINITY,
        maxLeverage: first?.maxLeverage ?? 1,
        maintenanceRate: overrides.maintenanceRate ?? first?.maintenanceRate ?? 0,
        maintenanceAmount: overrides.maintenanceAmount ?? 0,
      },
    ];
  }
  // Interned: the risk checks compare these with literals and use them as keys at every step (interned-string.ts).
  return {
    venue: internedString(venue.name),
    symbol: internedString(symbol),
    base: internedString(spec.base),
    quote: internedString(spec.quote),
    convention: internedString(venue.maintenanceConvention) as MaintenanceConvention,
    brackets,
    takerFeeRate: overrides.takerFeeRate ?? spec.fees.taker,
    makerFeeRate: spec.fees.maker,
    liquidationFeeRate: spec.liquidationFeeRate.value,
    fundingIntervalHours: spec.funding.intervalHours,
    fundingCap: spec.funding.cap,
    fundingFloor: spec.funding.floor,
    tickSize: spec.tickSize,
    partialLiquidation: venue.liquidation.partial,
  };
}
