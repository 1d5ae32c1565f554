import type { ModeLabel } from "@mstress/core";
import { chartFiles } from "../charts/chart-files.js";
import { chartConfig, modesInRows, type ReportChart } from "../charts/report-chart.js";
import { formatCount, formatPercent } from "../format/format-figures.js";
import type { GateVerdict } from "../gate/evaluate-limits.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import { chartFigure, standalonePage, type ChartLibraries } from "../html/standalone-page.js";
import { trendCharts } from "./trend-charts.js";
import { aprShifts, liquidationShifts, orderRuns, rowsByRun, trendRows, type TrendRow, type TrendRun, type TrendRunRows } from "./trend-table.js";

/** What a trend page is built from: the runs of one scenario (any order: the page orders them). */
export interface TrendReportInput {
  readonly version: string;
  readonly scenarioName: string;
  readonly runs: readonly TrendRun[];
}

export interface TrendReport {
  readonly html: string;
  readonly rows: readonly TrendRow[];
  readonly files: Readonly<Record<string, string>>;
  readonly charts: readonly ReportChart[];
}

const verdictClass: Readonly<Record<GateVerdict, string>> = { pass: "verdict-pass", fail: "verdict-fail", undecided: "verdict-undecided", "no limits": "verdict-none" };

/** One row per run: when, which directory, seed, paths, scenario, sign-off, then each mode's liquidation probability. */
function runsTable(rows: readonly TrendRow[]): SafeHtml {
  const modes = modesInRows(rows);
  const line = ({ first, byMode }: TrendRunRows): SafeHtml => {
    const cell = (mode: ModeLabel): SafeHtml => {
      const row = byMode.get(mode);
      return row === undefined ? html`<td class="num">–</td>` : html`<td class="num">${formatPercent(row.liquidationProbability)}<span class="ci">[${formatPercent(row.liquidationProbabilityLow)}, ${formatPercent(row.liquidationProbabilityHigh)}]</span></td>`;
    };
    return html`<tr><td class="text">${first.label}</td><td class="text">${first.directory}</td><td class="text">${first.seed}</td><td class="num">${formatCount(first.paths)}</td><td class="text">${first.scenario}${first.scenarioChanged ? " (changed)" : ""}</td><td class="text">${first.verdict}</td>${modes.map(cell)}</tr>`;
  };
  return html`<table class="summary">
<thead><tr><th class="text">run</th><th class="text">directory</th><th class="text">seed</th><th class="num">paths</th><th class="text">scenario sha256</th><th class="text">sign-off</th>${modes.map((mode) => html`<th class="num">${mode}</th>`)}</tr></thead>
<tbody>${rowsByRun(rows).map(line)}</tbody>
</table>`;
}

/** What the reader should know before reading the lines: moves beyond sampling error, scenario edits, seeds. */
function trendNotes(rows: readonly TrendRow[]): SafeHtml {
  const notes: SafeHtml[] = [];
  for (const shift of liquidationShifts(rows)) {
    notes.push(
      html`<li>${shift.mode}: liquidation probability moved from ${formatPercent(shift.from.liquidationProbability)} (${shift.from.label}) to ${formatPercent(shift.to.liquidationProbability)} (${shift.to.label}); the two 95 % intervals do not overlap, so this is more than sampling error.</li>`,
    );
  }
  for (const shift of aprShifts(rows)) {
    notes.push(
      html`<li>${shift.mode}: APR on capital moved from ${formatPercent(shift.from.aprOnCapital)} (${shift.from.label}) to ${formatPercent(shift.to.aprOnCapital)} (${shift.to.label}); the two 95 % intervals do not overlap, so this is more than sampling error.</li>`,
    );
  }
  const changed = [...new Set(rows.filter((row) => row.scenarioChanged).map((row) => row.label))];
  for (const label of changed) notes.push(html`<li>The scenario file changed at ${label}: the runs before and after answer different questions.</li>`);
  const draws = new Set(rows.map((row) => `${row.seed}\u0000${String(row.paths)}`));
  const first = rows[0];
  notes.push(
    draws.size === 1 && first !== undefined
      ? html`<li>Every run used seed ${first.seed} and ${formatCount(first.paths)} paths: the same paths each time, so any move comes from the scenario or mstress, not from sampling.</li>`
      : html`<li>The runs differ in seed or number of paths: they differ by sampling noise as well, which the intervals show.</li>`,
  );
  return html`<ul>${notes}</ul>`;
}

/**
 * The trend of one scenario's runs (nightly, say): the newest run's sign-off as the banner, liquidation probability
 * and APR on capital run by run, a table of every run, and notes on moves beyond sampling error. A pure function of
 * its input.
 */
export function trendReportPage(input: TrendReportInput, libraries: ChartLibraries): TrendReport {
  const newestRun = orderRuns(input.runs).at(-1);
  if (newestRun === undefined) throw new RangeError("trendReportPage: expected at least one run");
  const rows = trendRows(input.runs);
  const charts = trendCharts(rows).map((chart) => ({ ...chart, spec: { ...chart.spec, config: chartConfig } }));
  const newest = rows[rows.length - 1];
  const verdict: GateVerdict = newest?.verdict ?? "no limits";
  const runCount = input.runs.length;
  const facts = [`${formatCount(runCount)} runs`, `from ${rows[0]?.label ?? ""} to ${newest?.label ?? ""}`, `modes ${modesInRows(rows).join(", ")}`, `mstress ${input.version}`];
  const body = html`<header class="masthead"><div class="wrap">
<p class="kicker">mstress · trend</p>
<h1>${input.scenarioName}</h1>
${newestRun.description === "" ? "" : html`<p class="description">${newestRun.description}</p>`}
</div></header>
<main class="wrap">
<section class="verdict ${verdictClass[verdict]}" id="verdict" aria-label="newest run's sign-off"><div class="badge">${verdict}</div>
<div><p class="line">Newest run (${newest?.label ?? ""}): sign-off ${verdict}.</p><p class="facts">${facts.join(" · ")}</p></div></section>
<section class="panel" id="notes"><h2>Reading the trend</h2>${trendNotes(rows)}</section>
<section id="charts"><h2>Charts</h2><div class="charts">${charts.map((chart) => chartFigure(chart, true))}</div>
<p class="muted">Each chart's Vega-Lite spec and data are also in <code>charts/&lt;name&gt;.vl.json</code> and <code>charts/&lt;name&gt;.csv</code>; every run and mode is in <code>trend.csv</code>.</p></section>
<section id="runs" class="panel"><h2>Every run</h2><p class="muted">Liquidation probability per mode [95 % Wilson interval]; sign-off as the run's own limits judged it.</p>${runsTable(rows)}</section>
<section id="scenario"><h2>Scenario of the newest run</h2><pre class="source">${newestRun.scenarioText}</pre></section>
</main>
<footer><div class="wrap">Built by mstress ${input.version} from the manifest.json and summary.json of each run.</div></footer>`;
  return { html: standalonePage({ title: `${input.scenarioName} trend · mstress report`, body, charts, libraries }), rows, files: chartFiles(charts), charts };
}
