import { convergenceNotes } from "../gate/convergence-notes.js";
import type { GateResult } from "../gate/evaluate-limits.js";
import { gateRows, verdictLine } from "../gate/gate-table.js";
import { formatCount, formatDuration, formatLevel } from "../format/format-figures.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import type { RunReportInput } from "./report-input.js";

// "5.00 %" kept on one line in a narrow cell.
const unbroken = (text: string | undefined): string => (text ?? "").replace(/ %/g, "\u00a0%");

const verdictClass: Readonly<Record<GateResult["verdict"], string>> = { pass: "verdict-pass", fail: "verdict-fail", undecided: "verdict-undecided", "no limits": "verdict-none" };

/** The banner at the top: the gate's verdict and the facts that make the run reproducible. */
export function verdictBanner(input: RunReportInput): SafeHtml {
  const { summary, manifest, gate } = input;
  const level = formatLevel(Object.values(summary.modes)[0]?.confidence ?? 0.95);
  const facts = [
    `seed ${summary.seed}`,
    `${formatCount(summary.paths)} paths`,
    `horizon ${formatDuration(summary.horizonSeconds)}`,
    `step ${formatDuration(manifest.stepSeconds)}`,
    `modes ${Object.keys(summary.modes).join(", ")}`,
    `${level} Wilson intervals${gate.evaluations.some((e) => e.confidence !== null && e.confidence !== 0.95) ? " (limits at their own confidence)" : ""}`,
    `mstress ${manifest.version}`,
  ];
  return html`<section class="verdict ${verdictClass[gate.verdict]}" id="verdict" aria-label="sign-off verdict">
<div class="badge">${gate.verdict}</div>
<div><p class="line">${gate.verdict === "no limits" ? "No sign-off: the scenario sets no limits" : `Sign-off ${gate.verdict}: ${verdictLine(gate)}`}</p><p class="facts">${facts.join(" · ")}</p></div>
</section>`;
}

/** The limits table (when the scenario sets limits) and the notes on what the paths were enough for. */
export function gateSection(input: RunReportInput): SafeHtml {
  const { gate, summary, manifest } = input;
  const notes = convergenceNotes(summary, gate, { stopReason: manifest.stopReason, precision: manifest.precision });
  const [header, ...rows] = gateRows(gate);
  const table =
    gate.evaluations.length === 0
      ? html`<p class="muted">The scenario sets no <code>limits:</code>, so the run has no sign-off verdict (exit 0). Add limits to gate it.</p>`
      : html`<table><thead><tr>${(header ?? []).map((h, i) => html`<th class="${i === 0 || i >= 3 ? "text" : ""}">${h}</th>`)}</tr></thead><tbody>${rows.map(
          ([limit, estimate, interval, outcome, why]) =>
            html`<tr><td class="text">${unbroken(limit)}</td><td class="num">${estimate}</td><td class="num">${interval}</td><td class="text"><span class="outcome outcome-${outcome ?? ""}">${outcome}</span></td><td class="text">${unbroken(why)}</td></tr>`,
        )}</tbody></table>`;
  // Side by side when there is no limits table; stacked otherwise, the table needing the width.
  return html`<section id="gate" class="${gate.evaluations.length === 0 ? "two-col" : "stack"}">
<div class="panel"><h2>Sign-off limits</h2>${table}</div>
<div class="panel"><h2>Precision</h2><ul class="notes">${notes.map((note) => html`<li>${note}</li>`)}</ul></div>
</section>`;
}
