import { MstressError } from "../errors/mstress-error.js";
import { csvRows } from "./history-cells.js";
import type { BasisFile } from "./history-series.js";
import { readBasisCsv } from "./read-basis-csv.js";
import { looksLikeBinanceKline } from "./read-binance-klines.js";
import { readBinancePremiumIndexKlines } from "./read-binance-premium-index-klines.js";

/**
 * One basis file's text, in the format its content shows: Binance's premium index klines by their header
 * (`open_time,...`) or, without one, by a kline's 12 numeric columns; any other CSV is `timestamp,basis`. A
 * premium index kline has the layout of a price kline, so the flag a file is given by (`--basis`), not its content,
 * says it holds a basis.
 */
export function readBasisText(text: string, origin: string): BasisFile {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    throw new MstressError("E_BAD_INPUT", `${origin}: line 1: expected a basis CSV (timestamp,basis, or Binance's premium index klines as its data site dumps them), got JSON`);
  }
  const first = csvRows(text)[0];
  if (first?.cells[0]?.toLowerCase() === "open_time" || (first !== undefined && looksLikeBinanceKline(first.cells))) return readBinancePremiumIndexKlines(text, origin);
  return readBasisCsv(text, origin);
}
