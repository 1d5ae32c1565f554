import { Decimal } from "decimal.js";
import { z } from "zod";
import { decimal, decimalText, isRecord, isoTime, millisecondTime, parseResponse, responseSource, type ApiResponse, type VenueEndpoint } from "./api-response.js";
import {
  contiguousTiers,
  ImportProblems,
  missingPerpetual,
  onlyResponse,
  responsesOf,
  selectSymbols,
  type ImportedPerpetual,
  type ImportResult,
  type RawTier,
  type ResponsesByRole,
  type SkippedPerpetual,
  type VenueImporter,
} from "./imported-venue.js";

const docs = "https://www.okx.com/docs-v5/en/#public-data-rest-api";

export const okxEndpoints = {
  instruments: { role: "instruments", request: "GET https://www.okx.com/api/v5/public/instruments?instType=SWAP", docs: `${docs}-get-instruments`, many: false, required: true },
  positionTiers: {
    role: "position-tiers",
    request: "GET https://www.okx.com/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=…",
    docs: `${docs}-get-position-tiers`,
    many: true,
    required: true,
  },
  markPrice: { role: "mark-price", request: "GET https://www.okx.com/api/v5/public/mark-price?instType=SWAP", docs: `${docs}-get-mark-price`, many: false, required: true },
  fundingRate: { role: "funding-rate", request: "GET https://www.okx.com/api/v5/public/funding-rate?instId=ANY", docs: `${docs}-get-funding-rate`, many: false, required: true },
} as const satisfies Record<string, VenueEndpoint>;

// Every v5 response is `{code, msg, data}`; code "0" is success.
function okxError(json: unknown): { path: string; message: string } | null {
  if (isRecord(json) && typeof json["code"] === "string" && json["code"] !== "0") return { path: "$.code", message: `code ${json["code"]}: ${JSON.stringify(json["msg"] ?? "")}` };
  return null;
}

const dataOf = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item) });

const instrumentsSchema = dataOf(
  z.looseObject({
    instType: z.literal("SWAP"),
    instId: z.string(),
    instFamily: z.string(),
    settleCcy: z.string(),
    ctType: z.string(),
    ctVal: decimalText,
    ctMult: decimalText,
    tickSz: decimal,
    state: z.string(),
  }),
);

const positionTiersSchema = dataOf(
  z.looseObject({ instFamily: z.string(), uly: z.string(), tier: decimal, minSz: decimalText, maxSz: decimalText, mmr: decimal, imr: decimal, maxLever: decimal }),
);

const markPriceSchema = dataOf(z.looseObject({ instId: z.string(), markPx: decimalText, ts: millisecondTime }));

const fundingRateSchema = dataOf(
  z.looseObject({ instId: z.string(), maxFundingRate: decimal, minFundingRate: decimal, fundingTime: millisecondTime, nextFundingTime: millisecondTime, ts: millisecondTime }),
);

type Instrument = z.infer<typeof instrumentsSchema>["data"][number];
type Tier = z.infer<typeof positionTiersSchema>["data"][number];
type MarkPrice = z.infer<typeof markPriceSchema>["data"][number];

interface LocatedTier {
  readonly tier: Tier;
  readonly response: ApiResponse;
  readonly path: string;
}

/**
 * OKX tiers are in contracts. The venue file's brackets are in notional, so each edge becomes contracts x face
 * value (ctVal x ctMult, in the base asset) x mark price at the time of mark-price.json, in exact decimals. A
 * tier's floor is the previous tier's maxSz: OKX lists integer ranges (0-2000, 2001-4000), so a minSz one above
 * the previous maxSz meets it; more is a gap, less an overlap.
 */
function bracketsOf(
  instrument: Instrument,
  tiers: readonly LocatedTier[],
  mark: { readonly price: MarkPrice; readonly response: ApiResponse },
  problems: ImportProblems,
): ImportedPerpetual["brackets"] {
  const sorted = [...tiers].sort((a, b) => a.tier.tier - b.tier.tier);
  const contractNotional = new Decimal(instrument.ctVal).times(instrument.ctMult).times(mark.price.markPx);
  const toNotional = (contracts: Decimal): number => contracts.times(contractNotional).toNumber();
  const raw: RawTier[] = sorted.map(({ tier, path }, index) => {
    const previousMax = sorted[index - 1]?.tier.maxSz;
    const minSz = new Decimal(tier.minSz);
    const meetsByInteger = previousMax !== undefined && minSz.equals(new Decimal(previousMax).plus(1));
    const floor = meetsByInteger ? new Decimal(previousMax) : minSz;
    return { floor: toNotional(floor), cap: toNotional(new Decimal(tier.maxSz)), maxLeverage: tier.maxLever, maintenanceRate: tier.mmr, floorPath: `${path}.minSz`, capPath: `${path}.maxSz` };
  });
  const files = [...new Set(sorted.map((t) => t.response))];
  const tierSource = files.map((response) => responseSource(okxEndpoints.positionTiers, response)).join("; ");
  const tiersAsOf = Math.min(...files.map((response) => Date.parse(response.modifiedAt)), mark.price.ts);
  return {
    source: `${tierSource}; ${responseSource(okxEndpoints.markPrice, mark.response)}; mmr = maintenanceRate (no deduction), maxLever = maxLeverage; OKX tiers are in contracts: floor and cap = minSz/maxSz x ctVal ${instrument.ctVal} x ctMult ${instrument.ctMult} x markPx ${mark.price.markPx} of ${isoTime(mark.price.ts)}`,
    asOf: isoTime(tiersAsOf),
    tiers: contiguousTiers(sorted[0]?.response.file ?? "position-tiers.json", instrument.instId, raw, problems),
  };
}

/**
 * OKX USDT/USDC-margined perpetual swaps: instruments (live linear SWAPs: instFamily, tick size, face value),
 * position tiers (one response per instrument family, position-tiers*.json) converted to notional at the mark
 * price, funding bounds and interval from funding-rate (instId=ANY). Fees and the liquidation fee are carried.
 */
function readOkx(responses: ResponsesByRole, requested: readonly string[] | undefined): ImportResult {
  const problems = new ImportProblems();
  const instrumentsResponse = onlyResponse(responses, okxEndpoints.instruments);
  const instruments = parseResponse(instrumentsResponse, okxEndpoints.instruments, instrumentsSchema, okxError).data;
  const tiersByFamily = new Map<string, LocatedTier[]>();
  for (const response of responsesOf(responses, okxEndpoints.positionTiers)) {
    parseResponse(response, okxEndpoints.positionTiers, positionTiersSchema, okxError).data.forEach((tier, index) => {
      const family = tier.instFamily === "" ? tier.uly : tier.instFamily;
      tiersByFamily.set(family, [...(tiersByFamily.get(family) ?? []), { tier, response, path: `$.data[${index}]` }]);
    });
  }
  const markResponse = onlyResponse(responses, okxEndpoints.markPrice);
  const marks = new Map(parseResponse(markResponse, okxEndpoints.markPrice, markPriceSchema, okxError).data.map((price) => [price.instId, price]));
  const fundingResponse = onlyResponse(responses, okxEndpoints.fundingRate);
  const fundingRates = new Map(parseResponse(fundingResponse, okxEndpoints.fundingRate, fundingRateSchema, okxError).data.map((rate, index) => [rate.instId, { rate, index }]));

  const perpetualIndex = new Map<string, number>();
  instruments.forEach((instrument, index) => {
    if (instrument.ctType === "linear" && instrument.state === "live") perpetualIndex.set(instrument.instId, index);
  });
  const symbols = selectSymbols([...perpetualIndex.keys()], requested, { file: instrumentsResponse.file, path: '$.data[?(@.ctType=="linear" && @.state=="live")].instId' }, problems);
  const skipped: SkippedPerpetual[] = [];
  const perpetuals: ImportedPerpetual[] = [];
  for (const symbol of symbols) {
    const index = perpetualIndex.get(symbol) ?? -1;
    const instrument = instruments[index];
    if (instrument === undefined) continue;
    const [base, quote, ...rest] = instrument.instFamily.split("-");
    if (base === undefined || quote === undefined || rest.length > 0 || quote !== instrument.settleCcy) {
      problems.add(`${instrumentsResponse.file}: $.data[${index}].instFamily: ${symbol} has family ${JSON.stringify(instrument.instFamily)} settled in ${instrument.settleCcy}; expected BASE-QUOTE settled in the quote`);
      continue;
    }
    const tiers = tiersByFamily.get(instrument.instFamily);
    const mark = marks.get(symbol);
    if (tiers === undefined) {
      const line = `position-tiers*.json: $.data[*].instFamily: no tiers for ${instrument.instFamily} (${symbol}); save ${okxEndpoints.positionTiers.request.replace("…", instrument.instFamily)}`;
      missingPerpetual(requested, problems, skipped, { symbol, line, reason: `no tiers for ${instrument.instFamily} in position-tiers*.json` });
      continue;
    }
    if (mark === undefined) {
      const line = `${markResponse.file}: $.data[*].instId: no mark price for ${symbol}, needed to turn its tiers (in contracts) into notional`;
      missingPerpetual(requested, problems, skipped, { symbol, line, reason: `no mark price in ${markResponse.file}` });
      continue;
    }
    const funding = fundingRates.get(symbol);
    const intervalHours = funding === undefined ? 0 : (funding.rate.nextFundingTime - funding.rate.fundingTime) / 3_600_000;
    if (funding !== undefined && !(intervalHours > 0 && intervalHours <= 24)) {
      problems.add(`${fundingResponse.file}: $.data[${funding.index}].nextFundingTime: ${symbol} settles ${intervalHours} h after fundingTime; expected 1 to 24 h`);
    }
    if (funding !== undefined && !(funding.rate.maxFundingRate > 0 && funding.rate.minFundingRate < 0)) {
      problems.add(`${fundingResponse.file}: $.data[${funding.index}].maxFundingRate: ${symbol} has bounds ${funding.rate.minFundingRate} .. ${funding.rate.maxFundingRate}; expected a floor below 0 and a cap above`);
    }
    perpetuals.push({
      symbol,
      base,
      quote,
      tickSize: instrument.tickSz,
      instrument: { source: responseSource(okxEndpoints.instruments, instrumentsResponse, "instFamily (BASE-QUOTE), tickSz"), asOf: instrumentsResponse.modifiedAt },
      brackets: bracketsOf(instrument, tiers, { price: mark, response: markResponse }, problems),
      ...(funding === undefined
        ? {}
        : {
            funding: {
              intervalHours,
              cap: funding.rate.maxFundingRate,
              floor: funding.rate.minFundingRate,
              source: responseSource(okxEndpoints.fundingRate, fundingResponse, "maxFundingRate, minFundingRate; interval = nextFundingTime - fundingTime"),
              asOf: isoTime(funding.rate.ts),
            },
          }),
    });
  }
  problems.throwIfAny();
  return { perpetuals, skipped };
}

export const okxImporter: VenueImporter = {
  venue: "okx-swap",
  endpoints: Object.values(okxEndpoints),
  rules: {},
  read: readOkx,
};
