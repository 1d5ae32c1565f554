import { formatAmount, formatCount, formatDuration } from "../format/format-figures.js";
import { intervalMethod } from "./backtest-summary.js";
import { utcTime } from "./backtest-table.js";
import { modelCheckMethod } from "./model-check.js";

/** A file the backtest read, as the output names it. */
export interface BacktestFile {
  readonly origin: string;
  readonly format: string;
  readonly timestampUnit: string;
  readonly rows: number;
  readonly sha256: string;
}

/** What a backtest read and how it set the windows up: the page's and the terminal's "how this was computed". */
export interface BacktestDescription {
  readonly asset: string;
  readonly scenarioPrice: number;
  readonly history: {
    readonly files: readonly BacktestFile[];
    readonly rows: number;
    readonly step: number;
    readonly stepInferred: boolean;
    /** Unix seconds of the first and last rows' closes. */
    readonly first: number;
    readonly last: number;
    readonly duplicates: number;
    readonly gaps: { readonly count: number; readonly largestSeconds: number; readonly largestAfter: number | null };
    readonly filled: number;
    readonly unbracketedBars: number;
  };
  readonly windows: { readonly count: number; readonly kept: number; readonly stepsPerWindow: number; readonly everySeconds: number; readonly horizonSeconds: number };
  /** Funding from files, or null for the scenario's model. */
  readonly funding: { readonly files: readonly BacktestFile[]; readonly settlements: number; readonly intervalHours: number; readonly gaps: number } | null;
  readonly fundingModel: { readonly mean: number; readonly coupling: number };
  readonly fundingBooked: boolean;
  /** The scenario's basis mean, used when no basis file is given. */
  readonly basis: number;
  /** Basis from files (`--basis`), or null for the scenario's mean. */
  readonly basisFiles: { readonly files: readonly BacktestFile[]; readonly values: number; readonly stepSeconds: number; readonly gaps: number; readonly largestGapSeconds: number } | null;
  readonly policies: number;
  readonly leftOut: { readonly stressOverlays: number; readonly regime: boolean; readonly adlModel: boolean };
}

function fileLine(file: BacktestFile): string {
  return `${file.origin} (${file.format}, timestamps in ${file.timestampUnit}, ${formatCount(file.rows)} rows, sha256 ${file.sha256})`;
}

/**
 * How the backtest was computed, one sentence each, in the order a reader checks them: the data, the windows,
 * the scaling, funding and basis, the rules, what is left out, and the two statistical methods.
 */
export function backtestNotes(d: BacktestDescription): string[] {
  const h = d.history;
  const w = d.windows;
  const step = formatDuration(h.step);
  const gaps = h.gaps.count === 0 ? "no gaps" : `${formatCount(h.gaps.count)} gaps (the largest ${formatDuration(h.gaps.largestSeconds)} after ${utcTime(h.gaps.largestAfter ?? 0)})${h.filled > 0 ? `, ${formatCount(h.filled)} rows filled at the previous close (--fill previous)` : ""}`;
  const notes = [
    `History: ${d.history.files.map(fileLine).join("; ")}. Used ${formatCount(h.rows)} rows ${step} apart${h.stepInferred ? " (the most common spacing)" : ""}, closes from ${utcTime(h.first)} to ${utcTime(h.last)}; ${gaps}; ${formatCount(h.duplicates)} duplicate times dropped.`,
    ...(h.unbracketedBars > 0 ? [`${h.unbracketedBars === 1 ? "1 bar has" : `${formatCount(h.unbracketedBars)} bars have`} a high or low that does not bracket its open and close, as the source has it; each step's range is widened to take in the closes on either side.`] : []),
    `Windows: ${formatCount(w.kept)} windows of ${formatDuration(w.horizonSeconds)}, one opening every ${formatDuration(w.everySeconds)} at a row's close, each monitored over the next ${formatCount(w.stepsPerWindow)} rows by their high and low (a liquidation price between a row's low and high is touched in that row, at the time the price reaches it moving log-linearly to the row's extreme) and closed at the close of its last row. Only windows that fit wholly in the history count${w.count > w.kept ? `; ${formatCount(w.count - w.kept)} windows spanning a gap are left out` : ""}.`,
    `Each window opens the scenario's route at the scenario's notional: every leg's quantity is scaled by (the scenario's ${d.asset} price ${formatAmount(d.scenarioPrice)} / the window's opening price); allocations and deposits stay as written, so the leverage is the scenario's in every window. PnL, loss and capital are in the quote currency at that notional; liquidation prices are the history's.`,
    !d.fundingBooked
      ? "Funding: not booked (the scenario's costs.funding is false)."
      : d.funding === null
        ? `Funding: the scenario's funding model at its mean, ${String(d.fundingModel.mean)} per 8 h${d.fundingModel.coupling === 0 ? "" : `, plus its return coupling ${String(d.fundingModel.coupling)} x the log return of the interval just ended (the history's)`}, capped as the venue caps it, settled every funding interval from the window's opening.`
        : `Funding: the rate in force (the latest settlement) from ${d.funding.files.map(fileLine).join("; ")}: ${formatCount(d.funding.settlements)} settlements every ${String(d.funding.intervalHours)} h, converted to a rate per 8 h${d.funding.gaps > 0 ? `, ${formatCount(d.funding.gaps)} gaps held at the last rate` : ""}; settled every funding interval from the window's opening (the window's own clock, not the venue's), at the venue's cap.`,
    d.basisFiles === null
      ? `Basis: held at the scenario's basis mean, ${String(d.basis)} (mark = index x (1 + basis)); no basis history is read.`
      : `Basis: the value in force (the latest at or before each row's close) from ${d.basisFiles.files.map(fileLine).join("; ")}: ${formatCount(d.basisFiles.values)} values every ${formatDuration(d.basisFiles.stepSeconds)}${d.basisFiles.gaps > 0 ? `, ${formatCount(d.basisFiles.gaps)} gaps held at the last value (the largest ${formatDuration(d.basisFiles.largestGapSeconds)})` : ""}; each window opens its perps at that mark (mark = index x (1 + basis)) and the basis moves linearly within a row; spot is valued at the index.`,
    `Fees as in a run${d.policies > 0 ? `; the scenario's ${String(d.policies)} policies act as in a run, with -passive rows for the route without them` : ""}.`,
    `Left out: the scenario's price, jump and volatility models${d.leftOut.regime ? ", its regime switching" : ""}${d.leftOut.stressOverlays > 0 ? `, its ${String(d.leftOut.stressOverlays)} stress overlays` : ""}${d.leftOut.adlModel ? ", its stochastic ADL (random by nature)" : ""}: the history is the stress. No random numbers are drawn.`,
    `Intervals: ${intervalMethod}.`,
    `Model check: ${modelCheckMethod}.`,
  ];
  return notes;
}
