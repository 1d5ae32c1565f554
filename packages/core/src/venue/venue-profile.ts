import { z } from "zod";

// A venue profile is data, read from a YAML or JSON file, so that a desk adds or corrects a venue by editing a file.
// Every figure group carries `source`: a URL, a `owner/repo path @ commit`, or a line starting with "[derived]" or
// "[assumption]" that says how the number was obtained when no primary source was retrieved (docs/venues.md). A
// group imported from a venue's API (`mstress venue import`) names the endpoint and the response file's SHA-256 in
// `source`, and carries `asOf`: the response's server time, or the file's modification time when it has none.

const source = z.string().min(1, "a source (URL, repository path, or [derived]/[assumption] note)");
/** When the figures of a group were true: an ISO 8601 date or time, or a note ("undated (...)") where unknown. */
const asOf = z.string().min(1);
const rate = z.number().min(0).max(1);

/** One maintenance bracket (Binance "leverage bracket", Bybit "risk limit tier", Hyperliquid "margin tier"). */
export const maintenanceBracketSchema = z.strictObject({
  floor: z.number().nonnegative(),
  cap: z.number().positive(),
  maxLeverage: z.number().positive(),
  /** Omitted only under the `half-initial-at-max-leverage` convention, where it is 1 / (2 * maxLeverage). */
  maintenanceRate: rate.optional(),
  /** Binance "cum", Bybit "MM deduction". Omitted: derived by the continuity recursion. */
  maintenanceAmount: z.number().nonnegative().optional(),
});

/** How a venue turns a position into its maintenance margin: the formula differs, not only the numbers. */
export const maintenanceConventionSchema = z.enum([
  /** Binance USDⓈ-M, dYdX: MM = |qty| * mark * rate - maintenanceAmount, bracket by notional at mark. */
  "mark-notional",
  /** Bybit: MM = position value at entry * rate - deduction, bracket by position value at entry. */
  "entry-value",
  /** OKX: MM = |qty| * mark * (tier rate + taker fee rate). */
  "mark-plus-taker-fee",
  /** Hyperliquid: rate = half the initial margin rate at the tier's max leverage, amount by continuity. */
  "half-initial-at-max-leverage",
]);

export const partialLiquidationSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("none") }),
  /** Bybit, OKX: reduce a position to the cap of the next lower tier, tier by tier, while still below maintenance. */
  z.strictObject({ kind: z.literal("to-lower-tier") }),
  /** Hyperliquid: send only `fraction` of a position larger than `minNotional`. */
  z.strictObject({ kind: z.literal("fraction"), fraction: z.number().gt(0).lt(1), minNotional: z.number().positive() }),
]);

export const linearPerpetualSchema = z.strictObject({
  kind: z.literal("linear-perpetual"),
  base: z.string().min(1),
  quote: z.string().min(1),
  /** Smallest price increment; fills are booked at this precision. */
  tickSize: z.number().positive(),
  /** Where base, quote and tickSize come from (imported files; hand-written ones note it as a YAML comment). */
  instrument: z.strictObject({ source, asOf }).optional(),
  brackets: z.strictObject({ source, asOf, tiers: z.array(maintenanceBracketSchema).min(1) }),
  fees: z.strictObject({ taker: rate, maker: z.number().min(-0.01).max(1), source, asOf: asOf.optional() }),
  funding: z.strictObject({
    intervalHours: z.number().positive().max(24),
    /** Per-interval rate bounds, e.g. 0.003 = 0.30 % per 8 h. */
    cap: z.number().positive().max(1),
    floor: z.number().negative().min(-1),
    source,
    asOf: asOf.optional(),
  }),
  liquidationFeeRate: z.strictObject({ value: z.number().min(0).max(0.2), source, asOf: asOf.optional() }),
});

export const portfolioMarginSchema = z.strictObject({
  /** Liquidation when equity / maintenance falls to this ratio (Binance uniMMR 1.05, Bybit/OKX 1.00). */
  liquidationThreshold: z.number().min(1).max(3),
  /** gross: maintenance on each perp as in cross (Binance PM); net: on the net delta of perp + spot per asset. */
  maintenanceOn: z.enum(["gross", "net"]),
  /** Add-on rate on the hedged (offset) notional per asset, for basis risk under `net` netting (OKX MR4-like). */
  hedgeAddOnRate: rate,
  /** Collateral ratio ("collateral rate", "haircut") of each asset held as spot collateral; the quote counts 1. */
  collateral: z.record(z.string().min(1), z.strictObject({ ratio: rate, source })),
  source,
});

export const venueProfileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes"),
  title: z.string().min(1),
  maintenanceConvention: maintenanceConventionSchema,
  liquidation: z.strictObject({
    /** Cross accounts: close positions largest loss first until back above maintenance, or all at once. */
    cross: z.enum(["largest-loss-first", "all-at-once"]),
    partial: partialLiquidationSchema,
    /**
     * bankruptcy: an isolated position is taken over at its bankruptcy price, so the whole margin backing it is
     * lost (the fee, and any remainder, go to the insurance fund); mark: closed at mark, remainder stays.
     */
    settlement: z.enum(["bankruptcy", "mark"]),
    source,
  }),
  portfolio: portfolioMarginSchema.optional(),
  symbols: z.record(z.string().min(1), linearPerpetualSchema),
});

export type MaintenanceBracketInput = z.infer<typeof maintenanceBracketSchema>;
export type MaintenanceConvention = z.infer<typeof maintenanceConventionSchema>;
export type PartialLiquidation = z.infer<typeof partialLiquidationSchema>;
export type LinearPerpetualSpec = z.infer<typeof linearPerpetualSchema>;
export type PortfolioMarginProfile = z.infer<typeof portfolioMarginSchema>;
export type VenueProfile = z.infer<typeof venueProfileSchema>;
