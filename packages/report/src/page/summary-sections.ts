import { modeColour } from "../charts/report-chart.js";
import { formatAmount, formatCount, formatDuration, formatLevel, formatPercent } from "../format/format-figures.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import type { FigureInterval, ModeSummary } from "../summary/summarise-mode.js";
import { noNotes, type SummaryNote, type SummaryNotes } from "./summary-notes.js";
import type { RunSummary } from "../summary/run-summary.js";

function probabilityCell(p: number, [low, high]: readonly [number, number]): SafeHtml {
  return html`<td class="num">${formatPercent(p)}<span class="ci">[${formatPercent(low)}, ${formatPercent(high)}]</span></td>`;
}

function modeColourOf(mode: string): string {
  return modeColour([mode]).scale.range[0] ?? "#1f3a5f";
}

/** One card per mode with the three figures a desk reads first: liquidation probability, APR, capital. */
export function modeCards(summary: RunSummary): SafeHtml {
  const cards = Object.entries(summary.modes).map(
    ([mode, s]) => html`<div class="card" style="--mode: ${modeColourOf(mode)}">
<h3>${mode}</h3>
<div class="big">${formatPercent(s.liquidationProbability)}</div>
<div class="muted">liquidation probability, ${formatLevel(s.confidence)} interval [${formatPercent(s.liquidationProbabilityCi[0])}, ${formatPercent(s.liquidationProbabilityCi[1])}]</div>
<dl><dt>hedge broken</dt><dd>${formatPercent(s.hedgeBrokenProbability)}</dd><dt>APR on capital</dt><dd>${formatPercent(s.aprOnCapital)}${s.aprOnCapitalCi === null ? "" : html` <span class="muted">[${formatPercent(s.aprOnCapitalCi[0])}, ${formatPercent(s.aprOnCapitalCi[1])}]</span>`}</dd><dt>capital employed</dt><dd>${formatAmount(s.capitalEmployed.mean)}</dd><dt>mean PnL</dt><dd>${formatAmount(s.pnl.mean)}</dd></dl>
</div>`,
  );
  return html`<section class="cards" aria-label="headline figures by margin mode">${cards}</section>`;
}

interface Row {
  readonly label: string;
  readonly cell: (s: ModeSummary, label: string) => SafeHtml;
}

const num = (text: string): SafeHtml => html`<td class="num">${text}</td>`;

/** A figure and, under it, its interval (the same confidence as the probabilities'). */
function figureCell(value: number | null | undefined, interval: FigureInterval | undefined, format: (x: number | null | undefined) => string, marker = ""): SafeHtml {
  const text = `${format(value)}${marker}`;
  if (value === null || value === undefined || interval === null || interval === undefined) return num(text);
  return html`<td class="num">${text}<span class="ci">[${format(interval[0])}, ${format(interval[1])}]</span></td>`;
}

/**
 * The per-mode summary table: risk, PnL distribution, carry and capital, with the units in the row labels, each
 * figure a limit can quote with its interval, and the footnotes that explain a figure that reads wrong at first.
 */
export function summaryTable(summary: RunSummary, currency = "quote currency", notes: SummaryNotes = noNotes): SafeHtml {
  const modes = Object.entries(summary.modes);
  const level = formatLevel(modes[0]?.[1].confidence ?? 0.95);
  const marker = (label: string, note: SummaryNote | undefined): string => (note?.labels.includes(label) === true ? note.marker : "");
  const groups: readonly (readonly [string, readonly Row[]])[] = [
    [
      `liquidation risk [${level} intervals]`,
      [
        { label: "liquidation probability", cell: (s) => probabilityCell(s.liquidationProbability, s.liquidationProbabilityCi) },
        { label: "hedge broken", cell: (s) => probabilityCell(s.hedgeBrokenProbability, s.hedgeBrokenProbabilityCi) },
        { label: `loss given liquidation, mean (${currency})`, cell: (s, label) => figureCell(s.lossGivenLiquidation?.mean, s.lossGivenLiquidation?.meanCi, formatAmount, marker(label, notes.lossAboveMargin)) },
        { label: "loss given liquidation, 95th pct", cell: (s) => figureCell(s.lossGivenLiquidation?.p95, s.lossGivenLiquidation?.p95Ci, formatAmount) },
        { label: "route PnL on liquidated paths, mean", cell: (s, label) => figureCell(s.pnlGivenLiquidation?.mean, s.pnlGivenLiquidation?.meanCi, formatAmount, marker(label, notes.profitDespiteLiquidation)) },
        { label: "median time to liquidation", cell: (s) => num(formatDuration(s.medianTimeToLiquidation)) },
        ...(modes.some(([, s]) => (s.adls ?? 0) > 0)
          ? [
              { label: "auto-deleveraged", cell: (s: ModeSummary) => (s.adlProbabilityCi === undefined ? num("–") : probabilityCell(s.adlProbability ?? 0, s.adlProbabilityCi)) },
              { label: "hedge broken by ADL", cell: (s: ModeSummary) => (s.hedgeBrokenByAdlProbabilityCi === undefined ? num("–") : probabilityCell(s.hedgeBrokenByAdlProbability ?? 0, s.hedgeBrokenByAdlProbabilityCi)) },
            ]
          : []),
        { label: "worst distance to liquidation, 5th pct", cell: (s) => figureCell(s.minDistanceToLiquidation?.p05, s.minDistanceToLiquidation?.p05Ci, formatPercent) },
        { label: "worst distance to liquidation, median", cell: (s) => figureCell(s.minDistanceToLiquidation?.median, s.minDistanceToLiquidation?.medianCi, formatPercent) },
      ],
    ],
    [
      `final PnL (${currency})`,
      [
        { label: "mean", cell: (s) => figureCell(s.pnl.mean, s.pnl.meanCi, formatAmount) },
        { label: "median", cell: (s) => figureCell(s.pnl.quantiles.p50, s.pnl.quantilesCi.p50, formatAmount) },
        { label: "5th percentile", cell: (s) => figureCell(s.pnl.quantiles.p05, s.pnl.quantilesCi.p05, formatAmount) },
        { label: "95th percentile", cell: (s) => figureCell(s.pnl.quantiles.p95, s.pnl.quantilesCi.p95, formatAmount) },
        { label: "value at risk 95 %", cell: (s) => figureCell(s.valueAtRisk.p95, s.valueAtRisk.p95Ci, formatAmount) },
        { label: "value at risk 99 %", cell: (s) => figureCell(s.valueAtRisk.p99, s.valueAtRisk.p99Ci, formatAmount) },
        { label: "expected shortfall 95 %", cell: (s) => figureCell(s.expectedShortfall.p95, s.expectedShortfall.p95Ci, formatAmount) },
        { label: "expected shortfall 99 %", cell: (s) => figureCell(s.expectedShortfall.p99, s.expectedShortfall.p99Ci, formatAmount) },
        { label: "max drawdown, mean", cell: (s) => figureCell(s.maxDrawdown?.mean, s.maxDrawdown?.meanCi, formatAmount) },
        { label: "max drawdown, 95th pct", cell: (s) => figureCell(s.maxDrawdown?.p95, s.maxDrawdown?.p95Ci, formatAmount) },
      ],
    ],
    [
      `carry, mean per path (${currency})`,
      [
        { label: "funding received, net", cell: (s) => figureCell(s.fundingReceived.mean, s.fundingReceived.meanCi, formatAmount) },
        { label: "funding earned / paid", cell: (s) => num(`${formatAmount(s.fundingEarned.mean)} / ${formatAmount(s.fundingPaid.mean)}`) },
        { label: "trading fees / liquidation fees", cell: (s) => num(`${formatAmount(s.tradingFees.mean)} / ${formatAmount(s.liquidationFees.mean)}`) },
      ],
    ],
    [
      "capital",
      [
        { label: `capital employed (${currency})`, cell: (s) => num(formatAmount(s.capitalEmployed.mean)) },
        { label: "APR on capital", cell: (s) => figureCell(s.aprOnCapital, s.aprOnCapitalCi, formatPercent) },
      ],
    ],
  ];
  const span = modes.length + 1;
  const footnotes = [notes.lossAboveMargin, notes.profitDespiteLiquidation].filter((note): note is SummaryNote => note !== undefined);
  return html`<table class="summary">
<thead><tr><th>${formatCount(summary.paths)} paths</th>${modes.map(([mode]) => html`<th>${mode}</th>`)}</tr></thead>
${groups.map(([title, rows]) => html`<tbody><tr><th colspan="${span}">${title}</th></tr>${rows.map((row) => html`<tr><td>${row.label}</td>${modes.map(([label, s]) => row.cell(s, label))}</tr>`)}</tbody>`)}
</table>${footnotes.length === 0 ? "" : html`<ul class="notes footnotes">${footnotes.map((note) => html`<li>${note.marker} ${note.text}</li>`)}</ul>`}`;
}

/** Per account and per route tables, each shown only when the scenario has more than one. */
export function scopedTables(summary: RunSummary): SafeHtml {
  const names = (byMode: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined): string[] => [...new Set(Object.values(byMode ?? {}).flatMap((m) => Object.keys(m)))];
  const accountNames = names(summary.accounts);
  const routeNames = names(summary.routes);
  const parts: SafeHtml[] = [];
  if (summary.accounts !== undefined && accountNames.length > 1) {
    const byMode = summary.accounts;
    const rows = accountNames.flatMap((account) =>
      Object.keys(byMode).flatMap((mode) => {
        const a = byMode[mode]?.[account];
        return a === undefined
          ? []
          : [html`<tr><td class="text">${account}</td><td class="text">${mode}</td>${probabilityCell(a.liquidationProbability, a.liquidationProbabilityCi)}${num(formatAmount(a.lossGivenLiquidation?.mean))}${num(formatDuration(a.medianTimeToLiquidation))}${num(formatPercent(a.minDistanceToLiquidation?.p05))}</tr>`];
      }),
    );
    parts.push(html`<div class="panel"><h3>Per account</h3><table><thead><tr><th>account</th><th class="text">mode</th><th>liquidation probability</th><th>loss given liquidation</th><th>median time to liquidation</th><th>worst distance, 5th pct</th></tr></thead><tbody>${rows}</tbody></table></div>`);
  }
  if (summary.routes !== undefined && routeNames.length > 1) {
    const byMode = summary.routes;
    const rows = routeNames.flatMap((route) =>
      Object.keys(byMode).flatMap((mode) => {
        const r = byMode[mode]?.[route];
        return r === undefined
          ? []
          : [html`<tr><td class="text">${route}</td><td class="text">${mode}</td>${probabilityCell(r.liquidationProbability, r.liquidationProbabilityCi)}${probabilityCell(r.hedgeBrokenProbability, r.hedgeBrokenProbabilityCi)}${num(formatDuration(r.medianTimeToLiquidation))}${num(formatDuration(r.medianTimeToHedgeBreak))}</tr>`];
      }),
    );
    parts.push(html`<div class="panel"><h3>Per route</h3><table><thead><tr><th>route</th><th class="text">mode</th><th>a leg liquidated</th><th>hedge broken</th><th>median time to liquidation</th><th>median time to hedge break</th></tr></thead><tbody>${rows}</tbody></table></div>`);
  }
  const [first, ...rest] = parts;
  if (first === undefined) return html``;
  // The heading and its first table in one box that print never splits: a heading is not left at a page's foot.
  return html`<section id="scoped"><div class="stack"><div class="keep"><h2>Accounts and routes</h2><p class="muted">Each account and route on its own: in a shared cross account, a route liquidated by another shows here.</p>${first}</div>${rest}</div></section>`;
}
