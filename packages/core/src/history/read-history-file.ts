import { csvRows, jsonError } from "./history-cells.js";
import { parseJsonText } from "./funding-json-records.js";
import type { FundingFile, PriceFile } from "./history-series.js";
import { readBinanceFundingCsv } from "./read-binance-funding-csv.js";
import { looksLikeBinanceFundingJson, readBinanceFundingJson } from "./read-binance-funding-json.js";
import { looksLikeBinanceKline, readBinanceKlines } from "./read-binance-klines.js";
import { looksLikeBybitFundingJson, readBybitFundingJson } from "./read-bybit-funding-json.js";
import { looksLikeHyperliquidFundingJson, readHyperliquidFundingJson } from "./read-hyperliquid-funding-json.js";
import { looksLikeOkxFundingJson, readOkxFundingJson } from "./read-okx-funding-json.js";
import { readPriceCsv } from "./read-price-csv.js";

export type HistoryFile = { readonly kind: "price"; readonly file: PriceFile } | { readonly kind: "funding"; readonly file: FundingFile };

/**
 * One history file's text, read in the format its content shows: JSON by the venue's response shape (Hyperliquid,
 * Binance, Bybit, OKX), a CSV by its header or, without one, by its width (a Binance kline has 12 numeric columns
 * with the close time after the open time); any other CSV is a generic price file. The format is stated in the
 * result so the command can say how it read each file.
 */
export function readHistoryText(text: string, origin: string): HistoryFile {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    const value = parseJsonText(text, origin);
    if (looksLikeHyperliquidFundingJson(value)) return { kind: "funding", file: readHyperliquidFundingJson(value, origin) };
    if (looksLikeBinanceFundingJson(value)) return { kind: "funding", file: readBinanceFundingJson(value, origin) };
    if (looksLikeBybitFundingJson(value)) return { kind: "funding", file: readBybitFundingJson(value, origin) };
    if (looksLikeOkxFundingJson(value)) return { kind: "funding", file: readOkxFundingJson(value, origin) };
    throw jsonError(
      origin,
      "$",
      "expected a funding history as a venue returns it: Binance /fapi/v1/fundingRate, Bybit /v5/market/funding/history, OKX /api/v5/public/funding-rate-history or Hyperliquid fundingHistory (with at least one record)",
    );
  }
  const first = csvRows(text)[0];
  const header = first?.cells.map((cell) => cell.toLowerCase()) ?? [];
  if (header.includes("calc_time") || header.includes("last_funding_rate")) return { kind: "funding", file: readBinanceFundingCsv(text, origin) };
  if (header[0] === "open_time" || (first !== undefined && looksLikeBinanceKline(first.cells))) return { kind: "price", file: readBinanceKlines(text, origin) };
  return { kind: "price", file: readPriceCsv(text, origin) };
}
