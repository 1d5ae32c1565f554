import { formatAmount, formatDuration, formatLevel, formatPercent } from "../format/format-figures.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import type { RunSummary } from "../summary/run-summary.js";

/**
 * What each of the route's rules did, per mode that ran it: how often it acted, what it moved and cost, how often
 * its reserve ran out. The passive rows (`<mode>-passive`) are left out: no rule runs there. Empty without policies.
 */
export function policySection(summary: RunSummary): SafeHtml {
  const byMode = Object.entries(summary.policies ?? {}).filter(([mode]) => !mode.endsWith("-passive"));
  if (byMode.length === 0) return html``;
  const level = formatLevel(Object.values(summary.modes)[0]?.confidence ?? 0.95);
  const rows = byMode.flatMap(([mode, policies]) =>
    Object.entries(policies).map(
      ([name, p]) => html`<tr><td>${mode}</td><td>${name}</td>
<td class="num">${formatPercent(p.actedProbability)}<span class="ci">[${formatPercent(p.actedProbabilityCi[0])}, ${formatPercent(p.actedProbabilityCi[1])}]</span></td>
<td class="num">${p.actions.mean.toFixed(2)}</td>
<td class="num">${formatAmount(p.moved.mean)} / ${formatAmount(p.moved.p95)} / ${formatAmount(p.moved.max)}</td>
<td class="num">${formatPercent(p.reserveExhaustedProbability)}<span class="ci">[${formatPercent(p.reserveExhaustedProbabilityCi[0])}, ${formatPercent(p.reserveExhaustedProbabilityCi[1])}]</span></td>
<td class="num">${formatAmount(p.costs.mean)}</td>
<td class="num">${formatDuration(p.medianTimeToFirstAction)}</td></tr>`,
    ),
  );
  return html`<section id="policies" class="panel"><h2>The route's rules</h2>
<p class="muted">Each mode ran with these policies; its <code>-passive</code> column in the summary is the same mode on the same paths without them. Moved: margin added by a top-up, or notional traded by a de-risk, unwind or exit, in quote currency. Costs: fees, slippage and transfer fees the policy's actions paid.</p>
<div style="overflow-x: auto"><table class="summary"><thead><tr><th>mode</th><th>policy</th><th>acted [${level} interval]</th><th>actions per path</th><th>moved, mean / 95th pct / max</th><th>reserve exhausted [${level} interval]</th><th>costs, mean</th><th>median first action</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}
