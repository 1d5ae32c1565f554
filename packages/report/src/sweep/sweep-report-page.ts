import type { ModeLabel } from "@mstress/core";
import { chartFiles } from "../charts/chart-files.js";
import { chartConfig, type ReportChart } from "../charts/report-chart.js";
import { formatAmount, formatCount, formatPercent } from "../format/format-figures.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import { chartFigure, standalonePage, type ChartLibraries } from "../html/standalone-page.js";
import type { LeastCapital } from "./least-capital.js";
import { frontierChart, liquidationGridChart } from "./sweep-charts.js";
import { sweepPointLabel, type SweepPointSummary, type SweepRow } from "./sweep-table.js";

/** What a sweep's page is built from: sweep.json's content, its rows, and the scenario file as written. */
export interface SweepReportInput {
  readonly version: string;
  readonly scenario: { readonly name: string; readonly file: string; readonly sha256: string; readonly description: string };
  readonly seed: string;
  readonly pathsPerPoint: number;
  readonly modes: readonly ModeLabel[];
  readonly parameters: readonly { readonly name: string; readonly values: readonly (number | string)[] }[];
  readonly points: readonly SweepPointSummary[];
  readonly rows: readonly SweepRow[];
  /** Per mode and market, the least capital keeping the liquidation probability under its level. */
  readonly leastCapital: readonly LeastCapital[];
  readonly scenarioText: string;
  readonly gitCommit: string | null;
}

export interface SweepReport {
  readonly html: string;
  readonly files: Readonly<Record<string, string>>;
  readonly charts: readonly ReportChart[];
}

export function sweepCharts(input: Pick<SweepReportInput, "rows" | "parameters">): ReportChart[] {
  return [frontierChart(input.rows), liquidationGridChart(input.rows, input.parameters.map((p) => p.name))].map((chart) => ({ ...chart, spec: { ...chart.spec, config: chartConfig } }));
}

/** One row per grid point; per mode the liquidation probability with its interval, APR on capital, and a mark on the frontier. */
function pointsTable(input: SweepReportInput): SafeHtml {
  const cell = (point: number, mode: ModeLabel): SafeHtml => {
    const row = input.rows.find((r) => r.point === point && r.mode === mode);
    if (row === undefined) return html`<td class="num">–</td>`;
    const interval = `[${formatPercent(row.liquidationProbabilityLow)}, ${formatPercent(row.liquidationProbabilityHigh)}]`;
    const least = input.leastCapital.some((l) => l.point === point && l.mode === mode);
    return html`<td class="num${row.onFrontier ? " frontier" : ""}${least ? " least" : ""}">${formatPercent(row.liquidationProbability)} <span class="muted">${interval}</span><br>${formatPercent(row.aprOnCapital)} on ${formatAmount(row.capitalEmployed)}${row.onFrontier ? " ★" : ""}${least ? " ◆" : ""}</td>`;
  };
  return html`<table class="summary">
<thead><tr><th class="text">grid point</th>${input.modes.map((mode) => html`<th class="num">${mode}</th>`)}</tr></thead>
<tbody>${input.points.map((p) => html`<tr><td class="text">${sweepPointLabel(p.values)}</td>${input.modes.map((mode) => cell(p.point, mode))}</tr>`)}</tbody>
</table>`;
}

/** Per mode (and market): the least capital at which the liquidation probability is shown to be under the level. */
function leastCapitalTable(input: SweepReportInput): SafeHtml {
  const markets = input.leastCapital.some((l) => l.market !== "");
  const rows = input.leastCapital.map(
    (l) => html`<tr><td class="text">${l.mode}</td>${markets ? html`<td class="text">${l.market}</td>` : ""}<td class="num">${formatPercent(l.level)} <span class="muted">(${l.levelSource === "limit" ? "the scenario's limit" : "--under"})</span></td>${
      l.point === null
        ? html`<td class="text" colspan="4">${l.pathsNeeded === null ? "no grid point is under it: widen the grid towards more capital" : `none can be shown under it at ${formatCount(input.pathsPerPoint)} paths per point: even a point without a liquidation needs ${formatCount(l.pathsNeeded)}`}</td>`
        : html`<td class="text">${l.label}</td><td class="num">${formatAmount(l.capitalEmployed)}</td><td class="num">${formatPercent(l.liquidationProbability)} <span class="muted">(upper ${formatPercent(l.liquidationProbabilityHigh)})</span></td><td class="num">${formatPercent(l.aprOnCapital)}${l.aprOnCapitalLow === null || l.aprOnCapitalHigh === null ? "" : html` <span class="muted">[${formatPercent(l.aprOnCapitalLow)}, ${formatPercent(l.aprOnCapitalHigh)}]</span>`}</td>`
    }</tr>`,
  );
  return html`<table class="summary"><thead><tr><th class="text">mode</th>${markets ? html`<th class="text">market</th>` : ""}<th>liquidation probability under</th><th class="text">least-capital point</th><th>capital employed</th><th>liquidation probability</th><th>APR on capital</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * The sweep's report: what was swept, the capital-efficiency frontier and the liquidation grid, a table of every
 * point, and the scenario echoed back. A pure function of its input, like the run's report.
 */
export function sweepReportPage(input: SweepReportInput, libraries: ChartLibraries): SweepReport {
  const charts = sweepCharts(input);
  const swept = input.parameters.map((p) => `${p.name} ∈ {${p.values.map(String).join(", ")}}`).join(" × ");
  const facts = [`seed ${input.seed} at every point`, `${formatCount(input.pathsPerPoint)} paths per point`, `${formatCount(input.points.length)} grid points`, `modes ${input.modes.join(", ")}`, `mstress ${input.version}`];
  const body = html`<header class="masthead"><div class="wrap">
<p class="kicker">mstress · parameter sweep</p>
<h1>${input.scenario.name}</h1>
${input.scenario.description === "" ? "" : html`<p class="description">${input.scenario.description}</p>`}
</div></header>
<main class="wrap">
<section class="verdict verdict-none" id="verdict" aria-label="sweep"><div class="badge">sweep</div>
<div><p class="line">${swept}</p><p class="facts">${facts.join(" · ")}</p></div></section>
<section class="panel"><p>Every grid point runs the same paths (common random numbers: the same seed and path indices), so a difference between two points is the effect of the parameter, not of drawing different markets. Sign-off limits are not evaluated on a sweep; run the chosen point with <code>mstress run</code> to gate it.</p></section>
<section id="charts"><h2>Charts</h2><div class="charts">${charts.map((chart) => chartFigure(chart, true))}</div>
<p class="muted">Each chart's Vega-Lite spec and data are also in <code>charts/&lt;name&gt;.vl.json</code> and <code>charts/&lt;name&gt;.csv</code>; every point and mode is in <code>sweep.csv</code>.</p></section>
<section id="least-capital" class="panel"><h2>Least capital under the level</h2><p class="muted">Per mode, the grid point that employs the least capital while its liquidation probability is shown to be under the level (the upper end of its 95 % Wilson interval below it, as a limit is judged); ◆ marks it in the table below. Between grid points the answer is not interpolated: refine the grid around it before relying on it.</p>${leastCapitalTable(input)}</section>
<section id="points" class="panel"><h2>Every grid point</h2><p class="muted">Liquidation probability [95 % Wilson interval], then APR on capital on the mean capital employed; ★ marks the mode's capital-efficiency frontier among the points with the same market parameters; ◆ the least capital under the level.</p>${pointsTable(input)}</section>
<section id="scenario"><h2>Scenario</h2><p class="muted">${input.scenario.file}, sha256 ${input.scenario.sha256}${input.gitCommit === null ? "" : `, mstress commit ${input.gitCommit}`}</p><pre class="source">${input.scenarioText}</pre></section>
</main>
<footer><div class="wrap">Built by mstress ${input.version} from sweep.json of this results directory.</div></footer>`;
  return { html: standalonePage({ title: `${input.scenario.name} sweep · mstress report`, body, charts, libraries }), files: chartFiles(charts), charts };
}
