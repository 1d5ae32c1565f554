// What a history reader returns: one file's rows in time order, with where each row came from, so that every
// later complaint (a gap, a duplicate, a step that does not fit) can name the file and the line.

/** How a file writes its times: detected per file from its first row and stated in the command's output. */
export type TimestampUnit = "seconds" | "milliseconds" | "microseconds" | "iso-8601";

/** The price formats mstress reads. */
export type PriceFormat = "price-csv" | "ohlc-csv" | "binance-klines";

/** The funding formats mstress reads: Binance's public-data CSV and four venues' funding-history JSON. */
export type FundingFormat = "binance-funding-csv" | "binance-funding-json" | "bybit-funding-json" | "okx-funding-json" | "hyperliquid-funding-json";

/** Where a row came from: a line of a CSV (1-based, as an editor counts) or a JSON path. */
export type RowOrigin = { readonly line: number } | { readonly path: string };

/**
 * One row of prices. `time` is Unix seconds: a bar's opening time when the file has bars (OHLC, klines), the
 * price's own time for a `timestamp,price` file. A price-only row has open = high = low = close.
 */
export interface PriceRow {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly origin: RowOrigin;
}

export interface PriceFile {
  readonly origin: string;
  readonly format: PriceFormat;
  readonly timestampUnit: TimestampUnit;
  /** "bar": each row is an interval opening at `time` and closing one step later; "point": a price at `time`. */
  readonly rowKind: "bar" | "point";
  readonly rows: readonly PriceRow[];
  /** Rows repeated with the same time inside this file (the first is kept). */
  readonly duplicates: number;
  /** Bars whose high and low do not bracket their open and close, as the source has them (counted, not changed). */
  readonly unbracketedBars: { readonly count: number; readonly first: RowOrigin | null };
}

/** One funding settlement: the rate paid for the interval ending at `time` (Unix seconds). */
export interface FundingRow {
  readonly time: number;
  /** Per settlement interval, as the venue publishes it (0.0001 = 0.01 %). */
  readonly rate: number;
  /** The interval the rate is for, when the file says it (Binance's CSV does); null otherwise. */
  readonly intervalHours: number | null;
  readonly origin: RowOrigin;
}

export interface FundingFile {
  readonly origin: string;
  readonly format: FundingFormat;
  readonly timestampUnit: TimestampUnit;
  /** The instrument the file names (symbol, instId or coin), when it names one. */
  readonly instrument: string | null;
  readonly rows: readonly FundingRow[];
  readonly duplicates: number;
}

/** "line 12" or "$.result.list[3]": where a row is, for messages. */
export function describeOrigin(origin: RowOrigin): string {
  return "line" in origin ? `line ${origin.line}` : origin.path;
}

/** The basis formats mstress reads: a generic `timestamp,basis` CSV and Binance's premium index klines. */
export type BasisFormat = "basis-csv" | "binance-premium-index-klines";

/** One basis value: mark / index - 1 (a fraction, may be negative), in force from `time` (Unix seconds). */
export interface BasisRow {
  readonly time: number;
  readonly basis: number;
  readonly origin: RowOrigin;
}

export interface BasisFile {
  readonly origin: string;
  readonly format: BasisFormat;
  readonly timestampUnit: TimestampUnit;
  readonly rows: readonly BasisRow[];
  readonly duplicates: number;
}
