import { chartFiles } from "../charts/chart-files.js";
import { chartConfig, type ReportChart } from "../charts/report-chart.js";
import { formatCount, formatPercent } from "../format/format-figures.js";
import type { GateVerdict } from "../gate/evaluate-limits.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import { chartFigure, standalonePage, type ChartLibraries } from "../html/standalone-page.js";
import { suiteLiquidationChart } from "./suite-charts.js";
import type { SuiteModeRecord, SuiteMove, SuiteOutcome, SuiteRecord, SuiteScenarioRecord } from "./suite-table.js";

export interface SuiteIndexPage {
  readonly html: string;
  /** charts/<name>.vl.json and .csv, relative to the suite directory. */
  readonly files: Readonly<Record<string, string>>;
  readonly charts: readonly ReportChart[];
}

const outcomeClass: Readonly<Record<SuiteOutcome, string>> = {
  pass: "verdict-pass",
  fail: "verdict-fail",
  undecided: "verdict-undecided",
  "no limits": "verdict-none",
  "bad input": "verdict-fail",
  error: "verdict-fail",
};

const verdictCell = (verdict: GateVerdict): SafeHtml => html`<span class="outcome outcome-${verdict === "no limits" ? "none" : verdict}">${verdict}</span>`;

/** "▲ beyond sampling error (was 10.2 %)"; "≈ within sampling error (was 10.2 %)"; "–" without a previous figure. */
function moveCell(move: SuiteMove | null, previous: number | null | undefined): SafeHtml {
  if (move === null || previous === null || previous === undefined) return html`<td class="num muted">–</td>`;
  const was = html`<span class="ci">was ${formatPercent(previous)}</span>`;
  if (move === "within sampling error") return html`<td class="num move-within">≈ within sampling error${was}</td>`;
  return html`<td class="num move-${move}"><strong>${move === "up" ? "▲ up" : "▼ down"}, beyond sampling error</strong>${was}</td>`;
}

const withInterval = (value: number | null, interval: readonly [number, number] | null): SafeHtml =>
  value === null ? html`–` : html`${formatPercent(value)}${interval === null ? "" : html`<span class="ci">[${formatPercent(interval[0])}, ${formatPercent(interval[1])}]</span>`}`;

/** The route's first mode row carries the route, its sign-off and what it asks, spanning its modes' rows. */
function routeRows(scenario: SuiteScenarioRecord, hasPrevious: boolean): SafeHtml[] {
  const span = scenario.modes.length;
  const previous = scenario.previous;
  const before =
    previous === null
      ? hasPrevious
        ? html`<span class="ci">previous night: no result</span>`
        : ""
      : html`<span class="ci">previous night: ${previous.verdict}${previous.scenarioChanged ? "; the scenario file changed since" : ""}${previous.sameDraws ? "" : "; another seed or path count"}</span>`;
  const route = html`<td class="text route" rowspan="${span}"><a href="${`${encodeURIComponent(scenario.directory ?? scenario.name)}/report.html`}"><strong>${scenario.name}</strong></a>
<div>${scenario.verdict === null ? "–" : verdictCell(scenario.verdict)} <span class="muted">${scenario.verdictLine ?? ""}</span></div>${before}
${scenario.description === "" ? "" : html`<span class="ci">${scenario.description}</span>`}<span class="ci">${scenario.file}</span></td>`;
  return scenario.modes.map(
    (mode: SuiteModeRecord, i) => html`<tr>${i === 0 ? route : ""}<td class="text">${mode.mode}</td>
<td class="num">${withInterval(mode.liquidationProbability, mode.liquidationProbabilityCi)}</td>${hasPrevious ? moveCell(mode.liquidationProbabilityMove, mode.previous?.liquidationProbability) : ""}
<td class="num">${withInterval(mode.aprOnCapital, mode.aprOnCapitalCi)}</td>${hasPrevious ? moveCell(mode.aprOnCapitalMove, mode.previous?.aprOnCapital) : ""}</tr>`,
  );
}

function routesTable(record: SuiteRecord): SafeHtml {
  const hasPrevious = record.previous !== null;
  const ran = record.scenarios.filter((scenario) => scenario.modes.length > 0);
  const since = hasPrevious ? html`<th class="num">since previous night</th>` : "";
  return html`<table class="summary" id="routes-table">
<thead><tr><th class="text">route and sign-off</th><th class="text">mode</th><th class="num">liquidation probability [95 %]</th>${since}<th class="num">APR on capital [95 %]</th>${since}</tr></thead>
<tbody>${ran.map((scenario) => routeRows(scenario, hasPrevious))}</tbody>
</table>`;
}

function notRunTable(scenarios: readonly SuiteScenarioRecord[]): SafeHtml {
  return html`<table class="summary" id="not-run-table">
<thead><tr><th class="text">scenario</th><th class="text">file</th><th class="text">status</th><th class="text">why</th></tr></thead>
<tbody>${scenarios.map((s) => html`<tr><td class="text">${s.name}</td><td class="text">${s.file}</td><td class="text"><span class="outcome ${s.status === "skipped" ? "outcome-none" : "outcome-fail"}">${s.status}</span></td><td class="text">${s.reason ?? ""}</td></tr>`)}</tbody>
</table>`;
}

/** The outcome in one sentence: the worst sign-off, then how many routes had each, and what did not run. */
function outcomeLine(record: SuiteRecord): string {
  const { counts } = record;
  const ran = counts.pass + counts.fail + counts.undecided + counts["no limits"];
  const parts = [
    `${formatCount(ran)} route${ran === 1 ? "" : "s"} ran: ${formatCount(counts.fail)} failed, ${formatCount(counts.undecided)} undecided, ${formatCount(counts.pass)} passed, ${formatCount(counts["no limits"])} set no limits`,
    ...(counts["bad input"] > 0 ? [`${formatCount(counts["bad input"])} bad input`] : []),
    ...(counts.error > 0 ? [`${formatCount(counts.error)} failed to run`] : []),
    ...(counts.skipped > 0 ? [`${formatCount(counts.skipped)} skipped`] : []),
  ];
  return `${parts.join("; ")}.`;
}

function readingNotes(record: SuiteRecord): SafeHtml {
  const notes: SafeHtml[] = [
    html`<li>Each route ran with seed ${record.seed} on ${formatCount(record.paths)} paths. Liquidation probability: the share of paths on which a position was force-closed, with its 95 % Wilson interval; APR on capital: mean PnL over the mean capital the mode ties up, annualised, with its 95 % interval (delta method).</li>`,
    html`<li>The exit status is the worst sign-off (1 fail, 3 undecided, 0 pass or no limits), or 2 when a scenario was bad input, 4 when one failed to run; skipped scenarios do not count. This night's: ${String(record.exitCode)}.</li>`,
  ];
  if (record.previous !== null) {
    const compared = record.scenarios.filter((s) => s.previous !== null);
    notes.push(html`<li>Compared with the previous suite in ${record.previous}: a move is <strong>beyond sampling error</strong> when the two nights' 95 % intervals do not overlap (as <code>mstress trend</code> reads a move); otherwise it is within sampling error.</li>`);
    const sameDraws = compared.length > 0 && compared.every((s) => s.previous?.sameDraws === true);
    notes.push(
      sameDraws
        ? html`<li>Both nights used the same seed and paths for every route compared: the same draws, so a move comes from the scenario file or mstress, not from sampling.</li>`
        : html`<li>Some routes ran with another seed or number of paths the previous night: their moves include sampling noise, which the intervals show.</li>`,
    );
    const changed = compared.filter((s) => s.previous?.scenarioChanged === true).map((s) => s.name);
    if (changed.length > 0) notes.push(html`<li>Scenario files changed since the previous night: ${changed.join(", ")}. Their moves may be the edit, not the market.</li>`);
  }
  return html`<ul class="notes">${notes}</ul>`;
}

/**
 * The suite's index: the night's outcome as a banner, every route's sign-off with each mode's liquidation
 * probability and APR on capital (95 % intervals) and the move since the previous night, a chart of the routes, and
 * what did not run and why. Every route links to its own report. A pure function of the record.
 */
export function suiteIndexPage(record: SuiteRecord, libraries: ChartLibraries): SuiteIndexPage {
  const charts = record.scenarios.some((s) => s.modes.length > 0) ? [suiteLiquidationChart(record)].map((chart) => ({ ...chart, spec: { ...chart.spec, config: chartConfig } })) : [];
  const notRun = record.scenarios.filter((s) => s.status !== "ran");
  const routes = record.scenarios.length - record.counts.skipped;
  const facts = [`seed ${record.seed}`, `${formatCount(record.paths)} paths per route`, record.previous === null ? "no previous night compared" : `compared with ${record.previous}`, `exit status ${String(record.exitCode)}`, `mstress ${record.version}`];
  const body = html`<header class="masthead"><div class="wrap">
<p class="kicker">mstress · nightly suite</p>
<h1>${formatCount(routes)} route${routes === 1 ? "" : "s"}, seed ${record.seed}</h1>
<p class="description">One verdict for the night: every route's sign-off, its liquidation probability and APR on capital per margin mode, and what moved since the previous night.</p>
</div></header>
<main class="wrap">
<section class="verdict ${outcomeClass[record.outcome]}" id="verdict" aria-label="the suite's outcome"><div class="badge">${record.outcome}</div>
<div><p class="line">${outcomeLine(record)}</p><p class="facts">${facts.join(" · ")}</p></div></section>
<section class="panel" id="routes"><h2>Routes</h2>${record.scenarios.some((s) => s.modes.length > 0) ? routesTable(record) : html`<p>No route ran.</p>`}</section>
${notRun.length === 0 ? "" : html`<section class="panel" id="not-run"><h2>Not run</h2><p class="muted">Bad input and errors make the suite's exit status 2 and 4; a skipped scenario is not a Monte Carlo route (it has only a scripted path, for <code>mstress replay</code>) and does not count.</p>${notRunTable(notRun)}</section>`}
<section class="panel" id="notes"><h2>Reading this page</h2>${readingNotes(record)}</section>
${charts.length === 0 ? "" : html`<section id="charts"><h2>Chart</h2><div class="charts">${charts.map((chart) => chartFigure(chart, true))}</div>
<p class="muted">The chart's Vega-Lite spec and data are also in <code>charts/&lt;name&gt;.vl.json</code> and <code>charts/&lt;name&gt;.csv</code>; every route and mode is in <code>suite.csv</code> and <code>suite.json</code>.</p></section>`}
</main>
<footer><div class="wrap">Built by mstress ${record.version} from each route's results directory (manifest.json, summary.json, scenario.yaml); each route's name opens its own report.</div></footer>`;
  return { html: standalonePage({ title: `suite, seed ${record.seed} · mstress`, body, charts, libraries }), files: chartFiles(charts), charts };
}
