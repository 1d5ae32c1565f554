import { z } from "zod";
import { decimal, isRecord, isoTime, millisecondTime, parseResponse, responseSource, type ApiResponse, type VenueEndpoint } from "./api-response.js";
import {
  contiguousTiers,
  ImportProblems,
  missingPerpetual,
  onlyResponse,
  responsesOf,
  selectSymbols,
  type ImportedPerpetual,
  type ImportResult,
  type ResponsesByRole,
  type SkippedPerpetual,
  type VenueImporter,
} from "./imported-venue.js";

const docs = "https://developers.binance.com/docs/derivatives/usds-margined-futures";

export const binanceEndpoints = {
  exchangeInfo: { role: "exchangeInfo", request: "GET https://fapi.binance.com/fapi/v1/exchangeInfo", docs: `${docs}/market-data/rest-api/Exchange-Information`, many: false, required: true },
  leverageBracket: { role: "leverageBracket", request: "GET https://fapi.binance.com/fapi/v1/leverageBracket [signed]", docs: `${docs}/account/rest-api/Notional-and-Leverage-Brackets`, many: false, required: true },
  commissionRate: { role: "commissionRate", request: "GET https://fapi.binance.com/fapi/v1/commissionRate [signed]", docs: `${docs}/account/rest-api/User-Commission-Rate`, many: true, required: false },
  fundingInfo: { role: "fundingInfo", request: "GET https://fapi.binance.com/fapi/v1/fundingInfo", docs: `${docs}/market-data/rest-api/Get-Funding-Rate-Info`, many: false, required: false },
} as const satisfies Record<string, VenueEndpoint>;

// Binance answers a refused request with `{"code": -2015, "msg": "Invalid API-key, IP, or permissions for action."}`.
function binanceError(json: unknown): { path: string; message: string } | null {
  if (isRecord(json) && typeof json["code"] === "number" && typeof json["msg"] === "string" && json["code"] !== 200) {
    return { path: "$.code", message: `code ${json["code"]}: ${JSON.stringify(json["msg"])}` };
  }
  return null;
}

const exchangeInfoSchema = z.looseObject({
  serverTime: millisecondTime,
  symbols: z.array(
    z.looseObject({
      symbol: z.string(),
      contractType: z.string(),
      status: z.string(),
      baseAsset: z.string(),
      quoteAsset: z.string(),
      filters: z.array(z.looseObject({ filterType: z.string() })),
      liquidationFee: decimal.optional(),
    }),
  ),
});

const bracketEntrySchema = z.looseObject({
  symbol: z.string(),
  brackets: z
    .array(
      z.looseObject({
        bracket: z.number(),
        initialLeverage: decimal,
        notionalCap: decimal,
        notionalFloor: decimal,
        maintMarginRatio: decimal,
        cum: decimal,
      }),
    )
    .min(1),
});
// One symbol's object when the request named a symbol, else a list of them (as the documentation shows both).
const leverageBracketSchema = (json: unknown) => (isRecord(json) ? bracketEntrySchema.transform((entry) => [entry]) : z.array(bracketEntrySchema));

const commissionRateSchema = z.looseObject({ symbol: z.string(), makerCommissionRate: decimal, takerCommissionRate: decimal });

const fundingInfoSchema = z.array(
  z.looseObject({ symbol: z.string(), adjustedFundingRateCap: decimal, adjustedFundingRateFloor: decimal, fundingIntervalHours: decimal }),
);

type ExchangeInfoSymbol = z.infer<typeof exchangeInfoSchema>["symbols"][number];

/** PRICE_FILTER's tickSize, or a problem naming where it should be. */
function tickSizeOf(entry: ExchangeInfoSymbol, index: number, file: string, problems: ImportProblems): number {
  const filter = entry.filters.find((f) => f.filterType === "PRICE_FILTER");
  const tick = Number(filter?.["tickSize"]);
  if (filter === undefined || !(tick > 0)) {
    problems.add(`${file}: $.symbols[${index}].filters: ${entry.symbol} has no PRICE_FILTER with a positive tickSize`);
    return Number.NaN;
  }
  return tick;
}

function fees(responses: readonly ApiResponse[], problems: ImportProblems): Map<string, NonNullable<ImportedPerpetual["fees"]>> {
  const bySymbol = new Map<string, NonNullable<ImportedPerpetual["fees"]>>();
  for (const response of responses) {
    const rate = parseResponse(response, binanceEndpoints.commissionRate, commissionRateSchema, binanceError);
    if (bySymbol.has(rate.symbol)) problems.add(`${response.file}: $.symbol: a second commissionRate response for ${rate.symbol}; expected one per symbol`);
    bySymbol.set(rate.symbol, {
      taker: rate.takerCommissionRate,
      maker: rate.makerCommissionRate,
      source: responseSource(binanceEndpoints.commissionRate, response, "the account's own rates (its VIP tier and discounts)"),
      asOf: response.modifiedAt,
    });
  }
  return bySymbol;
}

/**
 * commissionRate answers for one symbol, but the rates are the account's fee tier (VIP level, BNB discount), the
 * same for every USDⓈ-M symbol bar promotions: a symbol without its own response takes the first response's.
 */
function accountWideFees(bySymbol: ReadonlyMap<string, NonNullable<ImportedPerpetual["fees"]>>, symbol: string): ImportedPerpetual["fees"] {
  const [first] = bySymbol;
  if (first === undefined) return undefined;
  const [answeredFor, fees] = first;
  return { ...fees, source: `[assumption] the account's rates for ${answeredFor}, taken for ${symbol} (a fee tier is account-wide; promotions excepted): ${fees.source}` };
}

function fundingInfo(response: ApiResponse | undefined): Map<string, NonNullable<ImportedPerpetual["funding"]>> {
  const bySymbol = new Map<string, NonNullable<ImportedPerpetual["funding"]>>();
  if (response === undefined) return bySymbol;
  for (const entry of parseResponse(response, binanceEndpoints.fundingInfo, fundingInfoSchema, binanceError)) {
    bySymbol.set(entry.symbol, {
      intervalHours: entry.fundingIntervalHours,
      cap: entry.adjustedFundingRateCap,
      floor: entry.adjustedFundingRateFloor,
      source: responseSource(binanceEndpoints.fundingInfo, response, "a symbol with adjusted funding cap, floor or interval"),
      asOf: response.modifiedAt,
    });
  }
  return bySymbol;
}

/**
 * Binance USDⓈ-M: symbols, tick size and liquidation fee from exchangeInfo (every TRADING perpetual), brackets
 * from leverageBracket (cum = maintenance amount), fees from commissionRate where saved, funding from fundingInfo
 * for the symbols it lists (others follow Binance's default cap, see `binanceImporter.rules`).
 */
function readBinance(responses: ResponsesByRole, requested: readonly string[] | undefined): ImportResult {
  const problems = new ImportProblems();
  const infoResponse = onlyResponse(responses, binanceEndpoints.exchangeInfo);
  const info = parseResponse(infoResponse, binanceEndpoints.exchangeInfo, exchangeInfoSchema, binanceError);
  const bracketResponse = onlyResponse(responses, binanceEndpoints.leverageBracket);
  const bracketEntries = parseResponse(bracketResponse, binanceEndpoints.leverageBracket, leverageBracketSchema, binanceError);
  const feesBySymbol = fees(responsesOf(responses, binanceEndpoints.commissionRate), problems);
  const fundingBySymbol = fundingInfo(responsesOf(responses, binanceEndpoints.fundingInfo)[0]);

  const perpetualIndex = new Map<string, number>();
  info.symbols.forEach((entry, index) => {
    if (entry.contractType === "PERPETUAL" && entry.status === "TRADING") perpetualIndex.set(entry.symbol, index);
  });
  const bracketIndex = new Map(bracketEntries.map((entry, index) => [entry.symbol, index]));
  const symbols = selectSymbols([...perpetualIndex.keys()], requested, { file: infoResponse.file, path: '$.symbols[?(@.contractType=="PERPETUAL" && @.status=="TRADING")].symbol' }, problems);
  const instrumentAsOf = isoTime(info.serverTime);
  const skipped: SkippedPerpetual[] = [];
  const perpetuals: ImportedPerpetual[] = [];
  for (const symbol of symbols) {
    const index = perpetualIndex.get(symbol) ?? -1;
    const entry = info.symbols[index];
    const at = bracketIndex.get(symbol);
    const bracketEntry = at === undefined ? undefined : bracketEntries[at];
    if (entry === undefined) continue;
    if (at === undefined || bracketEntry === undefined) {
      const line = `${bracketResponse.file}: $[*].symbol: no brackets for ${symbol}, which ${infoResponse.file} lists; fetch both responses together`;
      missingPerpetual(requested, problems, skipped, { symbol, line, reason: `no brackets in ${bracketResponse.file}` });
      continue;
    }
    const tiers = contiguousTiers(
      bracketResponse.file,
      symbol,
      bracketEntry.brackets.map((b, i) => ({
        floor: b.notionalFloor,
        cap: b.notionalCap,
        maxLeverage: b.initialLeverage,
        maintenanceRate: b.maintMarginRatio,
        maintenanceAmount: b.cum,
        floorPath: `$[${at}].brackets[${i}].notionalFloor`,
        capPath: `$[${at}].brackets[${i}].notionalCap`,
      })),
      problems,
    );
    const instrumentSource = responseSource(binanceEndpoints.exchangeInfo, infoResponse, "baseAsset, quoteAsset, PRICE_FILTER tickSize");
    const fee = feesBySymbol.get(symbol) ?? accountWideFees(feesBySymbol, symbol);
    const funding = fundingBySymbol.get(symbol);
    perpetuals.push({
      symbol,
      base: entry.baseAsset,
      quote: entry.quoteAsset,
      tickSize: tickSizeOf(entry, index, infoResponse.file, problems),
      instrument: { source: instrumentSource, asOf: instrumentAsOf },
      brackets: { source: responseSource(binanceEndpoints.leverageBracket, bracketResponse, "maintMarginRatio = maintenanceRate, cum = maintenanceAmount"), asOf: bracketResponse.modifiedAt, tiers },
      ...(fee === undefined ? {} : { fees: fee }),
      ...(funding === undefined ? {} : { funding }),
      ...(entry.liquidationFee === undefined
        ? {}
        : { liquidationFeeRate: { value: entry.liquidationFee, source: responseSource(binanceEndpoints.exchangeInfo, infoResponse, "liquidationFee"), asOf: instrumentAsOf } }),
    });
  }
  problems.throwIfAny();
  return { perpetuals, skipped };
}

export const binanceImporter: VenueImporter = {
  venue: "binance-usdm",
  endpoints: Object.values(binanceEndpoints),
  rules: {
    // fundingInfo lists only the symbols whose cap, floor or interval Binance adjusted; the others keep the default.
    funding: (perpetual) => ({
      intervalHours: 8,
      cap: 0.02,
      floor: -0.02,
      source: `[venue rule] ${perpetual.symbol} is not in fundingInfo.json (GET https://fapi.binance.com/fapi/v1/fundingInfo lists only adjusted symbols), so Binance's default applies: ±2 % per 8 h for USDⓈ-M perpetuals outside the majors, https://www.binance.com/en/support/articles/360033525031 (docs/venues.md §1.5)`,
    }),
  },
  read: readBinance,
};
