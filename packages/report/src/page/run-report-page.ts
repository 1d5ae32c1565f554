import { chartFiles } from "../charts/chart-files.js";
import type { ReportChart } from "../charts/report-chart.js";
import { html } from "../html/safe-html.js";
import { chartFigure, standalonePage, type ChartLibraries } from "../html/standalone-page.js";
import { gateSection, verdictBanner } from "./gate-section.js";
import { reportCharts } from "./report-charts.js";
import type { RunReportInput } from "./report-input.js";
import { manifestSection, scenarioSection } from "./run-sections.js";
import { policySection } from "./policy-section.js";
import { questionSection } from "./question-section.js";
import { summaryNotes } from "./summary-notes.js";
import { modeCards, scopedTables, summaryTable } from "./summary-sections.js";
import { venueAgeNotice } from "./venue-age-section.js";

// Charts drawn as facets across the modes need the page's full width.
const wideCharts = new Set(["equity-fan", "distance-to-liquidation"]);

export interface RunReport {
  /** report.html */
  readonly html: string;
  /** charts/<name>.vl.json and charts/<name>.csv, by relative path. */
  readonly files: Readonly<Record<string, string>>;
  readonly charts: readonly ReportChart[];
}

/**
 * The run's report: report.html (verdict banner, the scenario's question and the run's answer, headline cards, sign-off limits and precision notes, the
 * per-mode summary table, the charts, per-account and per-route tables, the scenario echoed back and the
 * manifest) and each chart's spec and data as files. A pure function of its input: no clock, no randomness, so the
 * same results directory always gives the same bytes, and one run and its merged shards differ only in the
 * manifest's Execution block. Tested in run-report-page.test.ts and, in a browser, report-page.browser.test.ts.
 */
export function runReportPage(input: RunReportInput, libraries: ChartLibraries): RunReport {
  const charts = reportCharts(input);
  const { summary, scenario } = input;
  const body = html`<header class="masthead"><div class="wrap">
<p class="kicker">mstress · Monte Carlo margin-mode stress report</p>
<h1>${scenario.name}</h1>
${scenario.description === "" ? "" : html`<p class="description">${scenario.description}</p>`}
</div></header>
<main class="wrap">
${verdictBanner(input)}
${questionSection(input)}
${venueAgeNotice(input.manifest.venues)}
<section>${modeCards(summary)}</section>
${gateSection(input)}
<section id="summary" class="panel"><h2>Summary by margin mode</h2>${summaryTable(summary, input.quoteCurrency, summaryNotes(summary, scenario))}</section>
${policySection(summary)}
<section id="charts"><h2>Charts</h2><div class="charts">${charts.map((chart) => chartFigure(chart, wideCharts.has(chart.name)))}</div>
<p class="muted">Every chart's Vega-Lite spec and data are also in <code>charts/&lt;name&gt;.vl.json</code> and <code>charts/&lt;name&gt;.csv</code>, for a notebook.</p></section>
${scopedTables(summary)}
${scenarioSection(input)}
${manifestSection(input)}
</main>
<footer><div class="wrap">Built by mstress ${input.manifest.version} from summary.json, outcomes.csv and pnl-paths.csv of this results directory. Capital employed is the cash the route ties up, the same way in every mode: what the spot cost, the margin the mode commits (isolated allocations, or the cross or portfolio balance), the fees to open and the reserves its policies may draw on; APR on capital is mean PnL over mean capital employed, annualised over 365 days. Value at risk and expected shortfall are losses of final PnL across paths.</div></footer>`;
  return { html: standalonePage({ title: `${scenario.name} · mstress report`, body, charts, libraries }), files: chartFiles(charts), charts };
}
