import { modeColour } from "../charts/report-chart.js";
import { formatAmount, formatCount, formatDuration, formatLevel, formatPercent } from "../format/format-figures.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import type { ModeSummary } from "../summary/summarise-mode.js";
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
<dl><dt>hedge broken</dt><dd>${formatPercent(s.hedgeBrokenProbability)}</dd><dt>APR on capital</dt><dd>${formatPercent(s.aprOnCapital)}</dd><dt>capital reserved</dt><dd>${formatAmount(s.capitalReserved.mean)}</dd><dt>mean PnL</dt><dd>${formatAmount(s.pnl.mean)}</dd></dl>
</div>`,
  );
  return html`<section class="cards" aria-label="headline figures by margin mode">${cards}</section>`;
}

interface Row {
  readonly label: string;
  readonly cell: (s: ModeSummary) => SafeHtml;
}

const num = (text: string): SafeHtml => html`<td class="num">${text}</td>`;
const pair = (a: string, b: string): SafeHtml => (a === "–" && b === "–" ? num("–") : html`<td class="num">${a} / ${b}</td>`);

/** The per-mode summary table: risk, PnL distribution, carry and capital, with the units in the row labels. */
export function summaryTable(summary: RunSummary, currency = "quote currency"): SafeHtml {
  const modes = Object.entries(summary.modes);
  const level = formatLevel(modes[0]?.[1].confidence ?? 0.95);
  const groups: readonly (readonly [string, readonly Row[]])[] = [
    [
      "liquidation risk",
      [
        { label: `liquidation probability [${level} interval]`, cell: (s) => probabilityCell(s.liquidationProbability, s.liquidationProbabilityCi) },
        { label: `hedge broken [${level} interval]`, cell: (s) => probabilityCell(s.hedgeBrokenProbability, s.hedgeBrokenProbabilityCi) },
        { label: "loss given liquidation, mean / 95th pct", cell: (s) => pair(formatAmount(s.lossGivenLiquidation?.mean), formatAmount(s.lossGivenLiquidation?.p95)) },
        { label: "median time to liquidation", cell: (s) => num(formatDuration(s.medianTimeToLiquidation)) },
        ...(modes.some(([, s]) => (s.adls ?? 0) > 0)
          ? [
              { label: `auto-deleveraged [${level} interval]`, cell: (s: ModeSummary) => (s.adlProbabilityCi === undefined ? num("–") : probabilityCell(s.adlProbability ?? 0, s.adlProbabilityCi)) },
              { label: "hedge broken by ADL / by liquidation", cell: (s: ModeSummary) => pair(formatPercent(s.hedgeBrokenByAdlProbability), formatPercent(s.hedgeBrokenByLiquidationProbability)) },
            ]
          : []),
        { label: "worst distance to liquidation, 5th pct / median", cell: (s) => pair(formatPercent(s.minDistanceToLiquidation?.p05), formatPercent(s.minDistanceToLiquidation?.median)) },
      ],
    ],
    [
      `final PnL (${currency})`,
      [
        { label: "mean / median", cell: (s) => pair(formatAmount(s.pnl.mean), formatAmount(s.pnl.quantiles.p50)) },
        { label: "5th / 95th percentile", cell: (s) => pair(formatAmount(s.pnl.quantiles.p05), formatAmount(s.pnl.quantiles.p95)) },
        { label: "value at risk 95 % / 99 %", cell: (s) => pair(formatAmount(s.valueAtRisk.p95), formatAmount(s.valueAtRisk.p99)) },
        { label: "expected shortfall 95 % / 99 %", cell: (s) => pair(formatAmount(s.expectedShortfall.p95), formatAmount(s.expectedShortfall.p99)) },
        { label: "max drawdown, median / 95th pct", cell: (s) => pair(formatAmount(s.maxDrawdown?.median), formatAmount(s.maxDrawdown?.p95)) },
      ],
    ],
    [
      `carry, mean per path (${currency})`,
      [
        { label: "funding earned", cell: (s) => num(formatAmount(s.fundingEarned.mean)) },
        { label: "funding paid", cell: (s) => num(formatAmount(s.fundingPaid.mean)) },
        { label: "trading fees / liquidation fees", cell: (s) => pair(formatAmount(s.tradingFees.mean), formatAmount(s.liquidationFees.mean)) },
      ],
    ],
    [
      "capital",
      [
        { label: "capital reserved, mean", cell: (s) => num(formatAmount(s.capitalReserved.mean)) },
        { label: "APR on capital", cell: (s) => num(formatPercent(s.aprOnCapital)) },
      ],
    ],
  ];
  const span = modes.length + 1;
  return html`<table class="summary">
<thead><tr><th>${formatCount(summary.paths)} paths</th>${modes.map(([mode]) => html`<th>${mode}</th>`)}</tr></thead>
${groups.map(([title, rows]) => html`<tbody><tr><th colspan="${span}">${title}</th></tr>${rows.map((row) => html`<tr><td>${row.label}</td>${modes.map(([, s]) => row.cell(s))}</tr>`)}</tbody>`)}
</table>`;
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
