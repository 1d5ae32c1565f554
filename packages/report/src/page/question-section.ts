import { policyName } from "@mstress/core";
import type { GateResult, LimitOutcome } from "../gate/evaluate-limits.js";
import { formatAmount, formatCount, formatPercent } from "../format/format-figures.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import type { FigureInterval, ModeSummary } from "../summary/summarise-mode.js";
import type { RunSummary } from "../summary/run-summary.js";
import type { RunReportInput } from "./report-input.js";
import type { PolicySummary } from "../summary/summarise-policies.js";

/**
 * The question a scenario file asks in its `# Question:` comment (the shipped scenarios open with one), or null.
 * Only the question is read: a stored `# Answer:` is the author's expectation, and the page answers from the run.
 */
export function scenarioQuestion(scenarioText: string): string | null {
  for (const line of scenarioText.split(/\r?\n/)) {
    const match = /^#\s*Question:\s*(.+)$/.exec(line.trim());
    if (match?.[1] !== undefined) return match[1].trim();
  }
  return null;
}

const severity: Readonly<Record<LimitOutcome, number>> = { pass: 0, undecided: 1, fail: 2 };

/** Each evaluation's worst limit outcome (fail over undecided over pass), for those the scenario bounds. */
function outcomesByMode(gate: GateResult): Map<string, LimitOutcome> {
  const outcomes = new Map<string, LimitOutcome>();
  for (const evaluation of gate.evaluations) {
    const mode = evaluation.limit.mode;
    const seen = outcomes.get(mode);
    if (seen === undefined || severity[evaluation.outcome] > severity[seen]) outcomes.set(mode, evaluation.outcome);
  }
  return outcomes;
}

function withInterval(value: string, interval: FigureInterval | readonly [number, number], format: (x: number) => string): string {
  return interval === null ? value : `${value} [${format(interval[0])}, ${format(interval[1])}]`;
}

function modeFigures(label: string, s: ModeSummary): string {
  const liquidation = withInterval(formatPercent(s.liquidationProbability), s.liquidationProbabilityCi, formatPercent);
  const apr = s.aprOnCapital === null ? "no APR (no capital employed)" : `APR on capital ${withInterval(formatPercent(s.aprOnCapital), s.aprOnCapitalCi, formatPercent)}`;
  return `${label} is liquidated on ${liquidation} of paths, ${apr} on ${formatAmount(s.capitalEmployed.mean)} employed`;
}

/** What each top-up of an evaluation did, for those that acted at all: how often, what it moved, whether its reserve ran short. */
function topUpFigures(label: string, policies: Readonly<Record<string, PolicySummary>> | undefined, topUps: readonly string[]): string[] {
  return Object.entries(policies ?? {})
    .filter(([name, p]) => topUps.includes(name) && p.acted > 0)
    .map(([name, p]) => {
      const acted = withInterval(formatPercent(p.actedProbability), p.actedProbabilityCi, formatPercent);
      const short = p.reserveExhausted === 0 ? "" : `, its reserve short on ${withInterval(formatPercent(p.reserveExhaustedProbability), p.reserveExhaustedProbabilityCi, formatPercent)}`;
      return `in ${label} ${name} acted on ${acted} of paths, moving ${formatAmount(p.moved.mean)} a path on average${short}`;
    });
}

/**
 * A one-line answer generated from the run: the evaluations ranked by liquidation probability (then APR), each
 * with its interval; whether the safest is told apart from the next at this sample size (their intervals do not
 * overlap); what the route's top-ups (`topUps`, by name) drew from their reserve; and, when the scenario sets limits, which evaluations
 * pass them. A scenario with policies is answered
 * for the route as run (the `-passive` baselines are left to the table).
 */
export function routeAnswer(summary: RunSummary, gate: GateResult, topUps: readonly string[] = []): string {
  const all = Object.entries<ModeSummary>(summary.modes);
  const managed = all.filter(([label]) => !label.endsWith("-passive"));
  const ranked = [...(managed.length > 0 ? managed : all)].sort(
    ([, a], [, b]) => a.liquidationProbability - b.liquidationProbability || (b.aprOnCapital ?? Number.NEGATIVE_INFINITY) - (a.aprOnCapital ?? Number.NEGATIVE_INFINITY),
  );
  const [first, second] = ranked;
  if (first === undefined) return "The run holds no evaluation.";
  const parts = [`Safest: ${modeFigures(first[0], first[1])}`];
  if (second !== undefined) {
    const apart = first[1].liquidationProbabilityCi[1] < second[1].liquidationProbabilityCi[0];
    parts.push(apart ? `clearly below ${second[0]} (the intervals do not overlap)` : `not told apart from ${second[0]} at ${formatCount(summary.paths)} paths (the intervals overlap)`);
  }
  const rest = ranked.slice(1).map(([label, s]) => modeFigures(label, s));
  const rules = ranked.flatMap(([label]) => topUpFigures(label, summary.policies?.[label], topUps));
  const outcomes = outcomesByMode(gate);
  const limits = outcomes.size === 0 ? [] : [`Against the scenario's limits: ${ranked.map(([label]) => `${label} ${outcomes.get(label) ?? "unbounded"}`).join(", ")}.`];
  const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  return [sentence(parts.join(", ")), ...(rest.length === 0 ? [] : [sentence(rest.join("; "))]), ...(rules.length === 0 ? [] : [sentence(`the reserve: ${rules.join("; ")}`)]), ...limits].join(" ");
}

/** The page's opening: the scenario's question, when it asks one, and the answer the run gives. */
export function questionSection(input: Pick<RunReportInput, "scenarioText" | "summary" | "gate" | "scenario">): SafeHtml {
  const { scenarioText, summary, gate } = input;
  const topUps = input.scenario.policies.flatMap((policy, i) => (policy.kind === "topUp" ? [policyName(policy, i)] : []));
  const question = scenarioQuestion(scenarioText);
  return html`<section id="question" class="panel">${question === null ? "" : html`<p class="question"><strong>Question.</strong> ${question}</p>`}<p class="answer"><strong>What the run says.</strong> ${routeAnswer(summary, gate, topUps)}</p></section>`;
}
