import { jsonArray, readFundingRecords } from "./funding-json-records.js";
import type { FundingFile } from "./history-series.js";

/**
 * Hyperliquid's info endpoint `{ "type": "fundingHistory", "coin": ..., "startTime": ... }`, saved as it returns
 * it: an array of `{ coin, fundingRate, premium, time }`, the rate a numeric string, the time in milliseconds
 * (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals, "Retrieve
 * historical funding rates"). Hyperliquid settles every hour, so each rate is for one hour.
 */
export function readHyperliquidFundingJson(value: unknown, origin: string): FundingFile {
  return readFundingRecords(origin, "hyperliquid-funding-json", jsonArray(origin, value, "$", "an array of funding records"), "$", { time: "time", rate: ["fundingRate"], instrument: "coin" }, 1);
}

export function looksLikeHyperliquidFundingJson(value: unknown): boolean {
  return Array.isArray(value) && typeof value[0] === "object" && value[0] !== null && "coin" in value[0] && "time" in value[0] && "fundingRate" in value[0];
}
