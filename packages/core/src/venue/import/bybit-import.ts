import { z } from "zod";
import { decimal, isRecord, isoTime, millisecondTime, optionalDecimal, parseResponse, responseSource, type ApiResponse, type VenueEndpoint } from "./api-response.js";
import {
  contiguousTiers,
  ImportProblems,
  missingPerpetual,
  responsesOf,
  selectSymbols,
  type ImportedPerpetual,
  type ImportResult,
  type ResponsesByRole,
  type SkippedPerpetual,
  type VenueImporter,
} from "./imported-venue.js";

export const bybitEndpoints = {
  instruments: {
    role: "instruments-info",
    request: "GET https://api.bybit.com/v5/market/instruments-info?category=linear",
    docs: "https://bybit-exchange.github.io/docs/v5/market/instrument",
    many: true,
    required: true,
  },
  riskLimit: {
    role: "risk-limit",
    request: "GET https://api.bybit.com/v5/market/risk-limit?category=linear",
    docs: "https://bybit-exchange.github.io/docs/v5/market/risk-limit",
    many: true,
    required: true,
  },
} as const satisfies Record<string, VenueEndpoint>;

// Every v5 response is `{retCode, retMsg, result, retExtInfo, time}`; retCode 0 is success.
function bybitError(json: unknown): { path: string; message: string } | null {
  if (isRecord(json) && typeof json["retCode"] === "number" && json["retCode"] !== 0) {
    return { path: "$.retCode", message: `retCode ${json["retCode"]}: ${JSON.stringify(json["retMsg"] ?? "")}` };
  }
  return null;
}

const page = <T extends z.ZodType>(item: T) =>
  z.looseObject({ result: z.looseObject({ category: z.literal("linear"), list: z.array(item) }), time: millisecondTime });

const instrumentsSchema = page(
  z.looseObject({
    symbol: z.string(),
    contractType: z.string(),
    status: z.string(),
    baseCoin: z.string(),
    quoteCoin: z.string(),
    priceFilter: z.looseObject({ tickSize: decimal }),
    fundingInterval: decimal,
    upperFundingRate: decimal,
    lowerFundingRate: decimal,
  }),
);

const riskLimitSchema = page(
  z.looseObject({
    id: z.number(),
    symbol: z.string(),
    riskLimitValue: decimal,
    maintenanceMargin: decimal,
    initialMargin: decimal,
    maxLeverage: decimal,
    mmDeduction: optionalDecimal,
  }),
);

type Instrument = z.infer<typeof instrumentsSchema>["result"]["list"][number];
type RiskTier = z.infer<typeof riskLimitSchema>["result"]["list"][number];

interface Located<T> {
  readonly item: T;
  readonly response: ApiResponse;
  readonly time: number;
  /** JSON path of the item in its page. */
  readonly path: string;
}

function pages<T>(responses: readonly ApiResponse[], endpoint: VenueEndpoint, schema: z.ZodType<{ result: { list: T[] }; time: number }>): Located<T>[] {
  return responses.flatMap((response) => {
    const parsed = parseResponse(response, endpoint, schema, bybitError);
    return parsed.result.list.map((item, index) => ({ item, response, time: parsed.time, path: `$.result.list[${index}]` }));
  });
}

/**
 * The documentation's example gives rates in percent ("0.5", "1" at 100x) while live linear responses give
 * fractions (0.005, 0.01): initialMargin x maxLeverage is 1 for fractions and 100 for percent, so it tells which.
 */
function rateScale(tier: Located<RiskTier>, problems: ImportProblems): number {
  const product = tier.item.initialMargin * tier.item.maxLeverage;
  if (Math.abs(product - 1) <= 0.01) return 1;
  if (Math.abs(product - 100) <= 1) return 0.01;
  problems.add(`${tier.response.file}: ${tier.path}.initialMargin: ${tier.item.symbol} tier id ${tier.item.id} has initialMargin ${tier.item.initialMargin} at maxLeverage ${tier.item.maxLeverage}; expected initialMargin = 1 / maxLeverage (as a fraction, or in percent)`);
  return 1;
}

function bracketsOf(symbol: string, tiers: readonly Located<RiskTier>[], problems: ImportProblems): ImportedPerpetual["brackets"] {
  const sorted = [...tiers].sort((a, b) => a.item.id - b.item.id);
  const files = [...new Set(sorted.map((t) => t.response))];
  const first = sorted[0];
  const tierList = contiguousTiers(
    first?.response.file ?? "risk-limit.json",
    symbol,
    sorted.map((tier, index) => {
      const scale = rateScale(tier, problems);
      return {
        // Bybit gives each tier's risk limit (its cap); a tier starts where the one below it ends.
        floor: index === 0 ? 0 : (sorted[index - 1]?.item.riskLimitValue ?? 0),
        cap: tier.item.riskLimitValue,
        maxLeverage: tier.item.maxLeverage,
        maintenanceRate: tier.item.maintenanceMargin * scale,
        ...(tier.item.mmDeduction === undefined ? {} : { maintenanceAmount: tier.item.mmDeduction }),
        floorPath: `${tier.path}.riskLimitValue`,
        capPath: `${tier.path}.riskLimitValue`,
      };
    }),
    problems,
  );
  return {
    source: files.map((response) => responseSource(bybitEndpoints.riskLimit, response)).join("; ") + "; riskLimitValue = cap (a tier's floor is the cap below it), maintenanceMargin = maintenanceRate, mmDeduction = maintenanceAmount",
    asOf: isoTime(Math.min(...sorted.map((t) => t.time))),
    tiers: tierList,
  };
}

function fundingOf(instrument: Located<Instrument>, problems: ImportProblems): NonNullable<ImportedPerpetual["funding"]> {
  const { item } = instrument;
  const intervalHours = item.fundingInterval / 60;
  if (!(intervalHours > 0 && intervalHours <= 24)) problems.add(`${instrument.response.file}: ${instrument.path}.fundingInterval: ${item.symbol} has ${item.fundingInterval} minutes; expected 1 to 1440`);
  if (!(item.upperFundingRate > 0 && item.lowerFundingRate < 0)) {
    problems.add(`${instrument.response.file}: ${instrument.path}.upperFundingRate: ${item.symbol} has bounds ${item.lowerFundingRate} .. ${item.upperFundingRate}; expected a floor below 0 and a cap above`);
  }
  return {
    intervalHours,
    cap: item.upperFundingRate,
    floor: item.lowerFundingRate,
    source: responseSource(bybitEndpoints.instruments, instrument.response, "fundingInterval (minutes), upperFundingRate, lowerFundingRate"),
    asOf: isoTime(instrument.time),
  };
}

/**
 * Bybit USDT/USDC linear perpetuals: symbols, tick size and funding bounds from instruments-info (pages saved as
 * instruments-info*.json), tiers from risk-limit (15 symbols a page, risk-limit*.json). Fees and the liquidation
 * fee are not served; they are carried from the existing venue file or set with --taker/--maker.
 */
function readBybit(responses: ResponsesByRole, requested: readonly string[] | undefined): ImportResult {
  const problems = new ImportProblems();
  const instruments = pages(responsesOf(responses, bybitEndpoints.instruments), bybitEndpoints.instruments, instrumentsSchema);
  const tiers = pages(responsesOf(responses, bybitEndpoints.riskLimit), bybitEndpoints.riskLimit, riskLimitSchema);
  const perpetualBySymbol = new Map<string, Located<Instrument>>();
  for (const instrument of instruments) {
    if (instrument.item.contractType !== "LinearPerpetual" || instrument.item.status !== "Trading") continue;
    if (perpetualBySymbol.has(instrument.item.symbol)) problems.add(`${instrument.response.file}: ${instrument.path}.symbol: ${instrument.item.symbol} appears twice across the instruments-info pages`);
    perpetualBySymbol.set(instrument.item.symbol, instrument);
  }
  const tiersBySymbol = new Map<string, Located<RiskTier>[]>();
  for (const tier of tiers) tiersBySymbol.set(tier.item.symbol, [...(tiersBySymbol.get(tier.item.symbol) ?? []), tier]);
  const firstFile = instruments[0]?.response.file ?? "instruments-info.json";
  const symbols = selectSymbols([...perpetualBySymbol.keys()], requested, { file: firstFile, path: '$.result.list[?(@.contractType=="LinearPerpetual" && @.status=="Trading")].symbol' }, problems);
  const skipped: SkippedPerpetual[] = [];
  const perpetuals: ImportedPerpetual[] = [];
  for (const symbol of symbols) {
    const instrument = perpetualBySymbol.get(symbol);
    const symbolTiers = tiersBySymbol.get(symbol);
    if (instrument === undefined) continue;
    if (symbolTiers === undefined) {
      const line = `risk-limit*.json: $.result.list[*].symbol: no risk-limit tiers for ${symbol}; save every page of ${bybitEndpoints.riskLimit.request} (follow nextPageCursor)`;
      missingPerpetual(requested, problems, skipped, { symbol, line, reason: "no tiers in the risk-limit pages" });
      continue;
    }
    const { item } = instrument;
    perpetuals.push({
      symbol,
      base: item.baseCoin,
      quote: item.quoteCoin,
      tickSize: item.priceFilter.tickSize,
      instrument: { source: responseSource(bybitEndpoints.instruments, instrument.response, "baseCoin, quoteCoin, priceFilter.tickSize"), asOf: isoTime(instrument.time) },
      brackets: bracketsOf(symbol, symbolTiers, problems),
      funding: fundingOf(instrument, problems),
    });
  }
  problems.throwIfAny();
  return { perpetuals, skipped };
}

export const bybitImporter: VenueImporter = {
  venue: "bybit-linear",
  endpoints: Object.values(bybitEndpoints),
  rules: {},
  read: readBybit,
};
