import { jsonError } from "./history-cells.js";
import { jsonArray, jsonField, readFundingRecords } from "./funding-json-records.js";
import type { FundingFile } from "./history-series.js";

/**
 * Bybit v5 `GET /v5/market/funding/history`, saved as the endpoint returns it: `{ retCode, retMsg, result: {
 * category, list: [{ symbol, fundingRate, fundingRateTimestamp }] }, retExtInfo, time }`, newest first, the rate and
 * the time (milliseconds) as strings (https://bybit-exchange.github.io/docs/v5/market/history-fund-rate).
 * A response with a non-zero `retCode` is an error the venue returned, not data.
 */
export function readBybitFundingJson(value: unknown, origin: string): FundingFile {
  const code = jsonField(origin, value, "$", "retCode");
  if (code !== 0) throw jsonError(origin, "$.retCode", `expected 0 (a successful response; retMsg says ${JSON.stringify(jsonField(origin, value, "$", "retMsg"))})`, code);
  const list = jsonField(origin, jsonField(origin, value, "$", "result"), "$.result", "list");
  return readFundingRecords(origin, "bybit-funding-json", jsonArray(origin, list, "$.result.list", "an array of funding records"), "$.result.list", { time: "fundingRateTimestamp", rate: ["fundingRate"], instrument: "symbol" });
}

export function looksLikeBybitFundingJson(value: unknown): boolean {
  return typeof value === "object" && value !== null && "retCode" in value && "result" in value;
}
