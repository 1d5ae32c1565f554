import type { ModeLabel } from "@mstress/core";
import type { TopLevelSpec } from "vega-lite";

export type ChartValue = number | string | null;
export type ChartRecord = Readonly<Record<string, ChartValue>>;

/**
 * One chart of a report: its Vega-Lite spec with the data inline (for the self-contained page), the same data as
 * flat records (for charts/<name>.csv) and the words around it. `name` is kebab-case: it names the files and the
 * page element.
 */
export interface ReportChart {
  readonly name: string;
  readonly title: string;
  /** One or two sentences under the chart: what it shows and how to read it. */
  readonly caption: string;
  readonly records: readonly ChartRecord[];
  readonly spec: TopLevelSpec;
}

export const vegaLiteSchema = "https://vega.github.io/schema/vega-lite/v6.json";

/** Every mode label in display order: each mode followed by its passive baseline. */
export const modeLabelOrder: readonly ModeLabel[] = ["isolated", "isolated-passive", "cross", "cross-passive", "portfolio", "portfolio-passive"];

/** The mode labels some row has, in the order isolated, cross, portfolio, each with its baseline after it (a table's columns, a legend's entries). */
export function modesInRows(rows: readonly { readonly mode: string }[]): ModeLabel[] {
  return modeLabelOrder.filter((mode) => rows.some((row) => row.mode === mode));
}

/**
 * One colour per margin mode in every chart, from Okabe and Ito's colour-blind-safe palette (Okabe & Ito, "Color
 * Universal Design", 2002): isolated orange, cross blue, portfolio bluish green. None is the page's FAIL red, so a
 * mode never reads as a failed limit.
 */
export const modeScale = { domain: ["isolated", "cross", "portfolio"], range: ["#E69F00", "#0072B2", "#009E73"] };

/** An axis or column title for an amount of money: "final PnL (USDT)". */
export function moneyTitle(label: string, currency: string): string {
  return `${label} (${currency})`;
}

/** The passive baseline of a mode: the mode's colour, lighter. */
const passiveScale = { domain: ["isolated-passive", "cross-passive", "portfolio-passive"], range: ["#e6a097", "#93b8dc", "#93c9a9"] };

/** A colour encoding by mode for the modes of this run (so a legend lists only those), in the run's order. */
export function modeColour(modes: readonly string[]): { field: string; type: "nominal"; title: string; scale: { domain: string[]; range: string[] }; sort: string[] } {
  const colourOf = (mode: string): string | undefined => modeScale.range[modeScale.domain.indexOf(mode)] ?? passiveScale.range[passiveScale.domain.indexOf(mode)];
  const range = modes.map((mode, i) => colourOf(mode) ?? modeScale.range[i % modeScale.range.length] ?? "#1f3a5f");
  return { field: "mode", type: "nominal", title: "margin mode", scale: { domain: [...modes], range }, sort: [...modes] };
}

/** Width of each panel of a chart faceted across the modes, so that the panels fill a full-width card. */
export function panelWidth(modes: number): number {
  return Math.floor(870 / Math.max(1, modes)) - 20;
}

/** Days from seconds, rounded to 1e-9 d so the CSV stays short and identical wherever it is computed. */
export function days(seconds: number): number {
  return Math.round((seconds / 86_400) * 1e9) / 1e9;
}

/** The two figures a route is judged by, as the sweep's and the trend's charts put them on an axis. */
export const liquidationProbabilityEncoding = { field: "liquidationProbability", type: "quantitative", title: "liquidation probability", axis: { format: ".1%" } } as const;
export const aprOnCapitalEncoding = { field: "aprOnCapital", type: "quantitative", title: "APR on capital", axis: { format: ".0%" } } as const;

// One look for every chart of every page (run, sweep, trend), carried in each spec so a notebook re-rendering
// charts/<name>.vl.json sees the same. Labels at 12 px stay readable when a wide chart is scaled to a laptop.
export const chartConfig = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  view: { stroke: null },
  axis: { labelColor: "#4a5563", titleColor: "#2d3748", titleFontWeight: 600, gridColor: "#e9edf1", domainColor: "#9aa5b1", tickColor: "#9aa5b1", labelFontSize: 12, titleFontSize: 12.5 },
  legend: { labelColor: "#2d3748", labelFontSize: 12, symbolSize: 90 },
  header: { labelColor: "#2d3748", labelFontSize: 12 },
} as const;
