import { chartFiles } from "../charts/chart-files.js";
import { modeColour, type ReportChart } from "../charts/report-chart.js";
import { formatAmount, formatCount, formatDuration, formatPercent } from "../format/format-figures.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import { chartFigure, standalonePage, type ChartLibraries } from "../html/standalone-page.js";
import { modelCheckChart, timelineChart, windowPnlChart } from "./backtest-charts.js";
import { backtestNotes, type BacktestDescription } from "./backtest-notes.js";
import type { BacktestModeSummary } from "./backtest-summary.js";
import type { BacktestRow } from "./backtest-table.js";
import type { ModelVerdict } from "./model-check.js";

export interface BacktestReportInput {
  readonly version: string;
  readonly scenario: { readonly name: string; readonly description: string; readonly file: string; readonly sha256: string; readonly text: string };
  readonly labels: readonly string[];
  readonly rows: readonly BacktestRow[];
  readonly summaries: ReadonlyMap<string, BacktestModeSummary>;
  readonly description: BacktestDescription;
}

export interface BacktestReport {
  readonly html: string;
  readonly files: Readonly<Record<string, string>>;
  readonly charts: readonly ReportChart[];
}

const bannerClass: Readonly<Record<ModelVerdict | "none", string>> = { understates: "verdict-fail", overstates: "verdict-undecided", agrees: "verdict-pass", none: "verdict-none" };

/** The model check's verdict over the modes: understates if any mode's does, else overstates if any, else agrees. */
function overallVerdict(summaries: ReadonlyMap<string, BacktestModeSummary>): ModelVerdict | "none" {
  const verdicts = [...summaries.values()].flatMap((s) => (s.modelCheck === null ? [] : [s.modelCheck.verdict]));
  if (verdicts.length === 0) return "none";
  return verdicts.includes("understates") ? "understates" : verdicts.includes("overstates") ? "overstates" : "agrees";
}

function banner(input: BacktestReportInput): SafeHtml {
  const verdict = overallVerdict(input.summaries);
  const lines = [...input.summaries.values()].flatMap((s) => (s.modelCheck === null ? [] : [s.modelCheck.line]));
  const first = [...input.summaries.values()][0];
  const facts = [`${formatCount(first?.windows ?? 0)} windows of ${formatDuration(input.description.windows.horizonSeconds)}`, `one every ${formatDuration(input.description.windows.everySeconds)}`, `modes ${input.labels.join(", ")}`, `mstress ${input.version}`];
  const source = [...input.summaries.values()].find((s) => s.modelCheck !== null)?.modelCheck?.source;
  return html`<section class="verdict ${bannerClass[verdict]}" id="model-check" aria-label="model against history"><div class="badge">${verdict === "none" ? "no check" : verdict}</div>
<div>${lines.length === 0 ? html`<p class="line">No model check: the backtest ran with --no-model-check.</p>` : lines.map((line) => html`<p class="line">${line}</p>`)}
<p class="facts">${facts.join(" · ")}${source === undefined ? "" : ` · Monte Carlo: ${source}`}</p></div></section>`;
}

function cards(input: BacktestReportInput): SafeHtml {
  const colour = (mode: string): string => modeColour([mode]).scale.range[0] ?? "#1f3a5f";
  return html`<section class="cards" aria-label="historical figures by margin mode">${[...input.summaries].map(
    ([mode, s]) => html`<div class="card" style="--mode: ${colour(mode)}">
<h3>${mode}</h3>
<div class="big">${formatPercent(s.liquidationFrequency)}</div>
<div class="muted">of windows liquidated (${formatCount(s.liquidatedWindows)} of ${formatCount(s.windows)}), 95 % interval [${formatPercent(s.liquidationFrequencyCi[0])}, ${formatPercent(s.liquidationFrequencyCi[1])}]</div>
<dl><dt>hedge broken</dt><dd>${formatPercent(s.hedgeBrokenFrequency)}</dd><dt>mean PnL</dt><dd>${formatAmount(s.pnl.mean)}</dd><dt>APR on capital</dt><dd>${formatPercent(s.aprOnCapital)}</dd><dt>capital employed</dt><dd>${formatAmount(s.capitalEmployed)}</dd></dl>
</div>`,
  )}</section>`;
}

function summaryTable(input: BacktestReportInput): SafeHtml {
  const modes = [...input.summaries];
  const num = (text: string): SafeHtml => html`<td class="num">${text}</td>`;
  const interval = (p: number, [low, high]: readonly [number, number]): SafeHtml => html`<td class="num">${formatPercent(p)}<span class="ci">[${formatPercent(low)}, ${formatPercent(high)}]</span></td>`;
  const rows: readonly (readonly [string, (s: BacktestModeSummary) => SafeHtml])[] = [
    ["windows (effective)", (s) => num(`${formatCount(s.windows)} (${s.effectiveWindows.toFixed(1)})`)],
    ["liquidated windows", (s) => num(formatCount(s.liquidatedWindows))],
    ["liquidation frequency [95 % interval]", (s) => interval(s.liquidationFrequency, s.liquidationFrequencyCi)],
    ["hedge broken [95 % interval]", (s) => interval(s.hedgeBrokenFrequency, s.hedgeBrokenFrequencyCi)],
    ["Monte Carlo probability [95 % interval]", (s) => (s.modelCheck === null ? num("–") : interval(s.modelCheck.monteCarloProbability, s.modelCheck.monteCarloCi))],
    ["the model", (s) => num(s.modelCheck === null ? "–" : `${s.modelCheck.verdict} (z = ${s.modelCheck.z.toFixed(2)})`)],
    ["loss given liquidation, mean / max", (s) => num(s.lossGivenLiquidation === null ? "–" : `${formatAmount(s.lossGivenLiquidation.mean)} / ${formatAmount(s.lossGivenLiquidation.max)}`)],
    ["median time to liquidation", (s) => num(formatDuration(s.medianTimeToLiquidation))],
    ["PnL mean / median", (s) => num(`${formatAmount(s.pnl.mean)} / ${formatAmount(s.pnl.p50)}`)],
    ["PnL 5th / 95th pct", (s) => num(`${formatAmount(s.pnl.p05)} / ${formatAmount(s.pnl.p95)}`)],
    ["worst window's PnL", (s) => num(formatAmount(s.pnl.min))],
    ["capital employed", (s) => num(formatAmount(s.capitalEmployed))],
    ["APR on capital", (s) => num(formatPercent(s.aprOnCapital))],
  ];
  return html`<table class="summary"><thead><tr><th></th>${modes.map(([mode]) => html`<th>${mode}</th>`)}</tr></thead>
<tbody>${rows.map(([label, cell]) => html`<tr><td>${label}</td>${modes.map(([, s]) => cell(s))}</tr>`)}</tbody></table>`;
}

function worstTables(input: BacktestReportInput): SafeHtml {
  const table = ([mode, s]: readonly [string, BacktestModeSummary]): SafeHtml => html`<div><h3>${mode}</h3><table>
<thead><tr><th>opened</th><th>closed</th><th>opening price</th><th class="text">liquidated at</th><th>at price</th><th>loss</th><th>PnL</th></tr></thead>
<tbody>${s.worstWindows.map(
    (w) => html`<tr><td>${w.openedAt.slice(0, 16).replace("T", " ")}</td><td class="num">${w.closesAt.slice(0, 10)}</td><td class="num">${formatAmount(w.openPrice)}</td><td class="text">${w.liquidatedAt === null ? "not liquidated" : w.liquidatedAt.replace("T", " ")}</td><td class="num">${formatAmount(w.liquidationPrice)}</td><td class="num">${formatAmount(w.loss)}</td><td class="num">${formatAmount(w.pnl)}</td></tr>`,
  )}</tbody></table></div>`;
  return html`<section id="worst" class="panel"><h2>Worst windows</h2><p class="muted">Per mode, the windows with the lowest PnL, worst first, no two overlapping (each a distinct episode). Times UTC; loss is what forced closes cost (realised loss, fees, margin seized); PnL is the route's over the window.</p><div class="stack">${[...input.summaries].map(table)}</div></section>`;
}

/**
 * The backtest's page: the model check's lines as the banner (the sentence a sign-off quotes), per-mode cards and
 * table, the worst windows, the timeline of liquidations, each window's PnL, the model against history, how it was
 * computed, and the scenario as text. A pure function of its input.
 */
export function backtestReportPage(input: BacktestReportInput, libraries: ChartLibraries): BacktestReport {
  const check = modelCheckChart(input.summaries);
  const charts = [timelineChart(input.rows, input.labels, input.description.asset), windowPnlChart(input.rows, input.labels), ...(check === null ? [] : [check])];
  const { scenario } = input;
  const body = html`<header class="masthead"><div class="wrap">
<p class="kicker">mstress · historical backtest</p>
<h1>${scenario.name}</h1>
${scenario.description === "" ? "" : html`<p class="description">${scenario.description}</p>`}
</div></header>
<main class="wrap">
${banner(input)}
<section>${cards(input)}</section>
<section id="summary" class="panel"><h2>Over the windows of history, by margin mode</h2>${summaryTable(input)}</section>
${worstTables(input)}
<section id="charts"><h2>Charts</h2><div class="charts">${charts.map((chart) => chartFigure(chart, true))}</div>
<p class="muted">Each chart's Vega-Lite spec and data are also in <code>charts/&lt;name&gt;.vl.json</code> and <code>charts/&lt;name&gt;.csv</code>; every window of every mode is in <code>windows.csv</code>.</p></section>
<section id="method" class="panel"><h2>How this was computed</h2><ul class="notes">${backtestNotes(input.description).map((note) => html`<li>${note}</li>`)}</ul></section>
<section id="scenario"><h2>Scenario</h2><p class="muted">${scenario.file}, sha256 ${scenario.sha256}</p><pre class="source">${scenario.text}</pre></section>
</main>
<footer><div class="wrap">Built by mstress ${input.version}: the route evaluator of mstress run and replay on windows of real history, deterministic, no random numbers.</div></footer>`;
  return { html: standalonePage({ title: `${scenario.name} backtest · mstress report`, body, charts, libraries }), files: chartFiles(charts), charts };
}
