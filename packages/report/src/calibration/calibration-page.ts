import { isoTime } from "@mstress/core";
import { chartFiles } from "../charts/chart-files.js";
import type { ReportChart } from "../charts/report-chart.js";
import { formatCount, formatDuration, formatPercent } from "../format/format-figures.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import { chartFigure, standalonePage, type ChartLibraries } from "../html/standalone-page.js";
import { calibrationCharts } from "./calibration-charts.js";
import { timestampUnitLabel, type CalibrationResult, type EstimatedValue, type FundingResult } from "./calibration-result.js";

export interface CalibrationReport {
  readonly html: string;
  readonly files: Readonly<Record<string, string>>;
  readonly charts: readonly ReportChart[];
}

/** A fitted value to 4 significant digits and its standard error to 2: "0.6499 ± 0.0021". */
export function formatEstimate(estimate: EstimatedValue): string {
  const se = estimate.standardError;
  return `${formatSignificant(estimate.value, 4)}${se === null ? " (at a bound)" : ` ± ${formatSignificant(se, 2)}`}`;
}

export function formatSignificant(value: number, digits: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const text = Math.abs(value) >= 1e-4 && Math.abs(value) < 1e6 ? String(Number(value.toPrecision(digits))) : value.toExponential(digits - 1);
  return text.replace(/-/g, "−");
}

/** The parameters of every model, one row each, one column per model. */
function parameterTable(result: CalibrationResult): SafeHtml {
  const fields = [...new Set(result.models.flatMap((m) => m.parameters.map((p) => p.field)))];
  const row = (field: string): SafeHtml =>
    html`<tr><td><code>${field}</code></td>${result.models.map((m) => {
      const p = m.parameters.find((q) => q.field === field);
      return html`<td class="num">${p === undefined ? "–" : formatEstimate(p)}</td>`;
    })}</tr>`;
  return html`<table class="summary"><thead><tr><th>parameter (scenario field)</th>${result.models.map((m) => html`<th>${m.model}</th>`)}</tr></thead><tbody>${fields.map(row)}</tbody></table>`;
}

/** Likelihood, information criteria and goodness of fit, one row per model. */
function comparisonTable(result: CalibrationResult): SafeHtml {
  const best = Math.min(...result.models.map((m) => m.bic));
  const thresholds = result.thresholds.map((t) => `beyond ±${String(Math.round(t * 100))} %`);
  const observed = html`<tr><td>observed</td><td class="num">–</td><td class="num">–</td><td class="num">–</td><td class="num">–</td><td class="num">–</td>${result.observedMovesBeyond.map((count) => html`<td class="num">${formatCount(count)}</td>`)}</tr>`;
  return html`<table class="summary"><thead><tr><th>model</th><th>log-likelihood</th><th>AIC</th><th>BIC</th><th>BIC − best</th><th>KS D (p)</th>${thresholds.map((t) => html`<th>${t}</th>`)}</tr></thead><tbody>
${observed}
${result.models.map(
  (m) =>
    html`<tr><td>${m.model}${m.model === result.recommendation.model ? " (recommended)" : ""}</td><td class="num">${m.logLikelihood.toFixed(1)}</td><td class="num">${m.aic.toFixed(1)}</td><td class="num">${m.bic.toFixed(1)}</td><td class="num">${(m.bic - best).toFixed(1)}</td><td class="num">${m.kolmogorovSmirnov.statistic.toFixed(4)} (${formatSignificant(m.kolmogorovSmirnov.pValue, 2)})</td>${m.expectedMovesBeyond.map((e) => html`<td class="num">${e.toFixed(1)}</td>`)}</tr>`,
)}
</tbody></table>`;
}

function fundingSection(funding: FundingResult | null): SafeHtml {
  if (funding === null) return html`<section class="panel" id="funding"><h2>Funding</h2><p class="muted">No funding history given (<code>--funding</code>): the block below carries no funding process.</p></section>`;
  const coupling = funding.returnCoupling;
  const caps = funding.capHits;
  return html`<section class="panel" id="funding"><h2>Funding</h2>
<p>${formatCount(funding.settlements)} settlements${funding.instrument === null ? "" : html` of <code>${funding.instrument}</code>`}, every ${String(funding.intervalHours)} h, from ${funding.files.map((f) => f.origin).join(", ")}; ${formatCount(funding.gaps.count)} gaps${funding.gaps.count > 0 ? `, the largest ${formatDuration(funding.gaps.largestSeconds)}` : ""}; ${formatCount(funding.duplicates)} duplicates dropped.</p>
<table class="summary"><thead><tr><th>funding field (rate per 8 h)</th><th>fit</th></tr></thead><tbody>
<tr><td><code>mean</code></td><td class="num">${formatEstimate(funding.mean)}</td></tr>
<tr><td><code>stdDev</code> (stationary)</td><td class="num">${formatEstimate(funding.stdDev)}</td></tr>
<tr><td><code>halfLife</code></td><td class="num">${formatDuration(funding.halfLife.value)}${funding.halfLife.standardError === null ? "" : ` ± ${formatDuration(funding.halfLife.standardError)}`}</td></tr>
<tr><td><code>returnCoupling</code></td><td class="num">${coupling === null ? "– (no prices over the settlements)" : `${formatEstimate(coupling)} over ${formatCount(coupling.observations)} settlements`}</td></tr>
<tr><td>at the venue's cap / floor</td><td class="num">${caps === null ? "– (venue unknown)" : `${formatCount(caps.atCap)} / ${formatCount(caps.atFloor)} (${caps.venue} ${caps.symbol}: ${formatPercent(caps.cap)} / ${formatPercent(caps.floor)})`}</td></tr>
</tbody></table>
${funding.notes.length === 0 ? "" : html`<ul class="notes">${funding.notes.map((n) => html`<li>${n}</li>`)}</ul>`}
</section>`;
}

function dataSection(result: CalibrationResult): SafeHtml {
  const data = result.data;
  return html`<section class="panel" id="data"><h2>Data</h2>
<table class="summary"><thead><tr><th>file</th><th>format</th><th>timestamps</th><th>rows</th><th>from</th><th>to</th><th class="text">SHA-256</th></tr></thead><tbody>
${data.files.map((f) => html`<tr><td>${f.origin}</td><td class="num">${f.format}</td><td class="num">${timestampUnitLabel(f.timestampUnit)}</td><td class="num">${formatCount(f.rows)}</td><td class="num">${isoTime(f.first)}</td><td class="num">${isoTime(f.last)}</td><td class="text"><code>${f.sha256}</code></td></tr>`)}
</tbody></table>
<ul class="notes">
<li>${formatCount(data.rows)} rows from ${isoTime(data.first)} to ${isoTime(data.last)}, step ${formatDuration(data.stepSeconds)}${data.stepInferred ? " (the most common spacing)" : ""}: ${formatCount(data.returns)} one-step log returns, close to close.</li>
<li>${formatCount(data.duplicates)} duplicate times dropped${data.differingDuplicates > 0 ? ` (${formatCount(data.differingDuplicates)} with a different close; the first file's kept)` : ""}; ${formatCount(data.gaps.count)} gaps${data.gaps.count > 0 ? ` (${formatCount(data.gaps.missingSteps)} missing steps, the largest ${formatDuration(data.gaps.largestSeconds)} after ${isoTime(data.gaps.largestAfter ?? 0)})` : ""}${data.filled > 0 ? `, ${formatCount(data.filled)} steps filled with the previous close (--fill previous)` : ", none filled: a return across a gap is left out"}.</li>
<li>Sample volatility ${formatSignificant(data.annualisedVolatility, 4)} a year (365-day year), kurtosis ${formatSignificant(data.kurtosis, 3)} (3 for a normal).</li>
${data.unbracketedBars > 0 ? html`<li>${formatCount(data.unbracketedBars)} bars have a high or low that does not bracket their open and close, as the source has them (counted, not changed; only closes are used here).</li>` : ""}
</ul></section>`;
}

/**
 * calibration.html: which model the history supports (lowest BIC, with the reason), every parameter with its
 * standard error in the scenario's own fields, the information criteria, the goodness-of-fit checks and their
 * charts, the funding fit, the data read, and the YAML block to paste. A pure function of its input; self-contained
 * like the run report (the same standalone page and chart files).
 */
export function calibrationReportPage(result: CalibrationResult, pits: ReadonlyMap<string, Float64Array>, libraries: ChartLibraries, version: string): CalibrationReport {
  const charts = calibrationCharts(result, pits);
  const notes = result.models.flatMap((m) => m.notes.map((note) => `${m.model}: ${note}`));
  const data = result.data;
  const facts = [`${formatCount(data.returns)} returns`, `${isoTime(data.first)} to ${isoTime(data.last)}`, `step ${formatDuration(data.stepSeconds)}`, `mstress ${version}`];
  const body = html`<header class="masthead"><div class="wrap">
<p class="kicker">mstress · calibration</p>
<h1>${result.asset}: ${data.files.map((f) => f.origin).join(", ")}</h1>
<p class="description">Maximum-likelihood fits of the simulator's price models to ${formatCount(data.returns)} ${formatDuration(data.stepSeconds)} returns, in the scenario's own fields and units.</p>
</div></header>
<main class="wrap">
<section class="verdict verdict-none" id="recommendation" aria-label="recommended model"><div class="badge">${result.recommendation.model}</div>
<div><p class="line">Recommended: ${result.recommendation.model}, ${result.recommendation.reason}.</p><p class="facts">${facts.join(" · ")}</p></div></section>
<section class="panel" id="fits"><h2>Fitted parameters</h2><p class="muted">Each value ± its standard error from the observed information (the numerical Hessian of the log-likelihood at its maximum). Drift and volatility are annualised over a 365-day year, jump intensities per year, jump sizes in log terms; the GARCH's alpha and beta are per step.</p>${parameterTable(result)}
${notes.length === 0 ? "" : html`<ul class="notes">${notes.map((n) => html`<li>${n}</li>`)}</ul>`}</section>
<section class="panel" id="comparison"><h2>Comparison and goodness of fit</h2><p class="muted">AIC = 2k − 2 log L, BIC = k ln n − 2 log L; lower is better. KS: the Kolmogorov-Smirnov distance of the probability-integral transforms from uniform, with its p-value (the parameters come from the same data, so p is on the generous side). Tail columns: steps moving beyond the threshold, observed against each model's expectation.</p>${comparisonTable(result)}</section>
<section id="charts"><h2>Charts</h2><div class="charts">${charts.map((chart) => chartFigure(chart, true))}</div>
<p class="muted">Each chart's Vega-Lite spec and data are also in <code>charts/&lt;name&gt;.vl.json</code> and <code>charts/&lt;name&gt;.csv</code>; every figure is in <code>calibration.json</code>.</p></section>
${fundingSection(result.funding)}
<section id="yaml"><h2>market.assets.${result.asset}, ready to paste</h2><pre class="source">${result.yaml}</pre></section>
${dataSection(result)}
</main>
<footer><div class="wrap">Built by mstress ${version} (<code>mstress calibrate</code>). Method: docs/calibration.md.</div></footer>`;
  return { html: standalonePage({ title: `${result.asset} calibration · mstress`, body, charts, libraries }), files: chartFiles(charts), charts };
}
