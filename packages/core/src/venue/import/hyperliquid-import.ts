import { Decimal } from "decimal.js";
import { z } from "zod";
import { decimal, decimalText, isRecord, parseResponse, responseSource, type VenueEndpoint } from "./api-response.js";
import { contiguousTiers, ImportProblems, onlyResponse, selectSymbols, type ImportedPerpetual, type ImportResult, type RawTier, type ResponsesByRole, type VenueImporter } from "./imported-venue.js";

export const hyperliquidEndpoints = {
  meta: {
    role: "meta",
    request: 'POST https://api.hyperliquid.xyz/info {"type":"meta"}',
    docs: "https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals#retrieve-perpetuals-metadata-universe-and-margin-tables",
    many: false,
    required: true,
  },
} as const satisfies Record<string, VenueEndpoint>;

/** The last tier has no upper edge on Hyperliquid; the venue file needs one, so this bound stands for "none". */
export const openEndedCap = 1e12;

const marginTierSchema = z.looseObject({ lowerBound: decimal, maxLeverage: z.number().positive() });
const metaSchema = z.looseObject({
  universe: z.array(
    z.looseObject({
      name: z.string(),
      szDecimals: z.number().int().min(0).max(6),
      maxLeverage: z.number().positive(),
      marginTableId: z.number().int().optional(),
      isDelisted: z.boolean().optional(),
    }),
  ),
  marginTables: z.array(z.tuple([z.number().int(), z.looseObject({ description: z.string(), marginTiers: z.array(marginTierSchema).min(1) })])).default([]),
});
// `{"type":"metaAndAssetCtxs"}` answers [meta, assetCtxs], the contexts carrying each asset's mark price.
const metaAndContextsSchema = z.tuple([metaSchema, z.array(z.looseObject({ markPx: decimalText }))]);
type Meta = z.infer<typeof metaSchema>;
type Contexts = z.infer<typeof metaAndContextsSchema>[1];
const responseSchema = (json: unknown): z.ZodType<[Meta, Contexts | undefined]> =>
  Array.isArray(json) ? metaAndContextsSchema : metaSchema.transform((meta): [Meta, Contexts | undefined] => [meta, undefined]);

function hyperliquidError(json: unknown): { path: string; message: string } | null {
  if (isRecord(json) && json["status"] === "err") return { path: "$.status", message: JSON.stringify(json["response"] ?? "") };
  return null;
}

// Perpetual prices carry at most 5 significant figures and at most 6 - szDecimals decimals; integers are always
// allowed (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/tick-and-lot-size).
const maxPerpDecimals = 6;

/** The price increment: at the mark when the response carries it, else the finest the decimals rule allows. */
function tickSize(szDecimals: number, markPx: string | undefined): number {
  const decimalsTick = new Decimal(10).pow(szDecimals - maxPerpDecimals);
  if (markPx === undefined) return decimalsTick.toNumber();
  const significantTick = new Decimal(10).pow(new Decimal(markPx).abs().log(10).floor().minus(4));
  return Decimal.min(1, Decimal.max(significantTick, decimalsTick)).toNumber();
}

/**
 * Hyperliquid perpetuals (USDC-margined) from the `meta` info request (or `metaAndAssetCtxs`, whose mark prices
 * fix each tick): every listed asset, its margin table's tiers (lowerBound = floor, the next lowerBound = cap,
 * maxLeverage; the maintenance rate is half the initial rate at max leverage, so it is left to the convention).
 * A marginTableId below 50 is one tier at that max leverage (docs/venues.md §4). Funding, fees and the liquidation
 * fee are not served: funding and the liquidation fee follow Hyperliquid's documented venue-wide rules.
 */
function readHyperliquid(responses: ResponsesByRole, requested: readonly string[] | undefined): ImportResult {
  const problems = new ImportProblems();
  const response = onlyResponse(responses, hyperliquidEndpoints.meta);
  const [meta, contexts] = parseResponse(response, hyperliquidEndpoints.meta, responseSchema, hyperliquidError);
  const tables = new Map(meta.marginTables.map(([id, table], index) => [id, { table, index }]));
  const listed = new Map<string, number>();
  meta.universe.forEach((asset, index) => {
    if (asset.isDelisted !== true) listed.set(asset.name, index);
  });
  const symbols = selectSymbols([...listed.keys()], requested, { file: response.file, path: "$.universe[?(!@.isDelisted)].name" }, problems);
  const source = (note: string): string => responseSource(hyperliquidEndpoints.meta, response, note);
  const perpetuals: ImportedPerpetual[] = [];
  for (const symbol of symbols) {
    const index = listed.get(symbol) ?? -1;
    const asset = meta.universe[index];
    if (asset === undefined) continue;
    const id = asset.marginTableId;
    const listedTable = id === undefined ? undefined : tables.get(id);
    let raw: RawTier[];
    let note: string;
    if (listedTable !== undefined) {
      const tiers = listedTable.table.marginTiers;
      raw = tiers.map((tier, j) => ({
        floor: tier.lowerBound,
        cap: tiers[j + 1]?.lowerBound ?? openEndedCap,
        maxLeverage: tier.maxLeverage,
        floorPath: `$.marginTables[${listedTable.index}][1].marginTiers[${j}].lowerBound`,
        capPath: `$.marginTables[${listedTable.index}][1].marginTiers[${j + 1}].lowerBound`,
      }));
      note = `margin table ${String(id)} (${JSON.stringify(listedTable.table.description)}): lowerBound = floor, the next lowerBound = cap`;
    } else if (id === undefined || id < 50) {
      const maxLeverage = id ?? asset.maxLeverage;
      raw = [{ floor: 0, cap: openEndedCap, maxLeverage, floorPath: `$.universe[${index}].marginTableId`, capPath: `$.universe[${index}].marginTableId` }];
      note = id === undefined ? `no marginTableId: one tier at the asset's maxLeverage ${asset.maxLeverage}` : `marginTableId ${id} < 50: one tier at ${id}x (docs/venues.md §4)`;
    } else {
      problems.add(`${response.file}: $.universe[${index}].marginTableId: ${symbol} names margin table ${id}, which $.marginTables does not hold`);
      continue;
    }
    perpetuals.push({
      symbol,
      base: symbol,
      quote: "USDC",
      tickSize: tickSize(asset.szDecimals, contexts?.[index]?.markPx),
      instrument: {
        source: source(`name, szDecimals; quote USDC (every Hyperliquid perpetual settles in USDC); tick from szDecimals${contexts === undefined ? " (the finest allowed)" : " and the mark price"}`),
        asOf: response.modifiedAt,
      },
      brackets: {
        source: source(`${note}; the last tier's cap ${openEndedCap} stands for "no upper limit"; maintenanceRate omitted: 1 / (2 · maxLeverage)`),
        asOf: response.modifiedAt,
        tiers: contiguousTiers(response.file, symbol, raw, problems),
      },
    });
  }
  problems.throwIfAny();
  return { perpetuals, skipped: [] };
}

export const hyperliquidImporter: VenueImporter = {
  venue: "hyperliquid",
  endpoints: Object.values(hyperliquidEndpoints),
  rules: {
    funding: () => ({
      intervalHours: 1,
      cap: 0.04,
      floor: -0.04,
      source: "[venue rule] https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding (docs/venues.md §4): paid every hour, capped at 4 %/hour for every perpetual; the meta response does not carry it",
    }),
    liquidationFeeRate: () => ({
      value: 0,
      source: "[venue rule] https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations (docs/venues.md §4): \"no clearance fee\"; the meta response does not carry it",
    }),
  },
  read: readHyperliquid,
};
