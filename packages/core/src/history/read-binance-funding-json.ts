import { jsonArray, readFundingRecords } from "./funding-json-records.js";
import type { FundingFile } from "./history-series.js";

/**
 * Binance USD-M futures `GET /fapi/v1/fundingRate`, saved as the endpoint returns it: an array of
 * `{ symbol, fundingRate, fundingTime, markPrice }`, the rate a numeric string, the time in milliseconds
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Get-Funding-Rate-History).
 */
export function readBinanceFundingJson(value: unknown, origin: string): FundingFile {
  return readFundingRecords(origin, "binance-funding-json", jsonArray(origin, value, "$", "an array of funding records"), "$", { time: "fundingTime", rate: ["fundingRate"], instrument: "symbol" });
}

export function looksLikeBinanceFundingJson(value: unknown): boolean {
  return Array.isArray(value) && typeof value[0] === "object" && value[0] !== null && "fundingTime" in value[0] && "fundingRate" in value[0];
}
