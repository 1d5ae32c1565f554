import { formatLevel } from "../format/format-figures.js";
import { formatMetricValue, type GateResult, type LimitEvaluation } from "./evaluate-limits.js";

/** "cross liquidationProbability <= 0.500 %", "cross, route carry hedgeBrokenProbability >= 1.00 %". */
export function limitLabel(evaluation: LimitEvaluation): string {
  const { limit } = evaluation;
  const bounds = [
    ...(limit.max === undefined ? [] : [`<= ${formatMetricValue(limit.metric, limit.max)}`]),
    ...(limit.min === undefined ? [] : [`>= ${formatMetricValue(limit.metric, limit.min)}`]),
  ];
  return `${evaluation.scope} ${limit.metric} ${bounds.join(" and ")}`;
}

/** "[0 %, 0.192 %] at 95 %", "[1,020, 1,310] at 95 %" in the metric's unit; "–" when there is none. */
export function intervalLabel(evaluation: LimitEvaluation): string {
  const { interval, confidence } = evaluation;
  if (interval === null || confidence === null) return "–";
  const show = (value: number): string => formatMetricValue(evaluation.limit.metric, value);
  return `[${show(interval[0])}, ${show(interval[1])}] at ${formatLevel(confidence)}`;
}

/** The verdict in words: "1 of 3 limits failed, 1 undecided", "all 2 limits pass", "the scenario sets no sign-off limits". */
export function verdictLine(gate: GateResult): string {
  const count = (outcome: LimitEvaluation["outcome"]): number => gate.evaluations.filter((e) => e.outcome === outcome).length;
  const total = gate.evaluations.length;
  const limits = `limit${total === 1 ? "" : "s"}`;
  switch (gate.verdict) {
    case "no limits":
      return "the scenario sets no sign-off limits";
    case "pass":
      return total === 1 ? "the limit passes" : `all ${total} ${limits} pass`;
    case "fail":
      return `${count("fail")} of ${total} ${limits} failed${count("undecided") > 0 ? `, ${count("undecided")} undecided` : ""}`;
    case "undecided":
      return `${count("undecided")} of ${total} ${limits} cannot be decided with these paths, none failed`;
  }
}

/**
 * The gate as table rows, header first (limit, estimate, interval, outcome, why), for a terminal table or the
 * report's gate section.
 */
export function gateRows(gate: GateResult): string[][] {
  return [
    ["limit", "estimate", "interval", "outcome", "why"],
    ...gate.evaluations.map((e) => [limitLabel(e), formatMetricValue(e.limit.metric, e.estimate), intervalLabel(e), e.outcome, e.reason]),
  ];
}
