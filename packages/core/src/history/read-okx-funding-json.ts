import { jsonError } from "./history-cells.js";
import { jsonArray, jsonField, readFundingRecords } from "./funding-json-records.js";
import type { FundingFile } from "./history-series.js";

/**
 * OKX `GET /api/v5/public/funding-rate-history`, saved as the endpoint returns it: `{ code, msg, data: [{ instType,
 * instId, formulaType, fundingRate, realizedRate, fundingTime, method }] }`, newest first, every value a string,
 * times in milliseconds (https://www.okx.com/docs-v5/en/#public-data-rest-api-get-funding-rate-history).
 * `realizedRate` is the rate actually settled and is used; `fundingRate` only where a record has no realized rate.
 * A response whose `code` is not "0" is an error the venue returned, not data.
 */
export function readOkxFundingJson(value: unknown, origin: string): FundingFile {
  const code = jsonField(origin, value, "$", "code");
  if (code !== "0") throw jsonError(origin, "$.code", `expected "0" (a successful response; msg says ${JSON.stringify(jsonField(origin, value, "$", "msg"))})`, code);
  const data = jsonArray(origin, jsonField(origin, value, "$", "data"), "$.data", "an array of funding records");
  return readFundingRecords(origin, "okx-funding-json", data, "$.data", { time: "fundingTime", rate: ["realizedRate", "fundingRate"], instrument: "instId" });
}

export function looksLikeOkxFundingJson(value: unknown): boolean {
  return typeof value === "object" && value !== null && "code" in value && "data" in value;
}
