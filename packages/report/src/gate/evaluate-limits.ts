import { probabilityMetrics, standardNormalQuantile, type LimitMetric, type ScenarioLimit } from "@mstress/core";
import { formatAmount, formatCount, formatLevel, formatPercent } from "../format/format-figures.js";
import { pathsToDecide } from "../statistics/paths-to-decide.js";
import { wilsonInterval } from "../statistics/wilson-interval.js";
import type { FigureInterval, ModeSummary } from "../summary/summarise-mode.js";
import type { RunSummary } from "../summary/run-summary.js";

export type LimitOutcome = "pass" | "fail" | "undecided";
export type GateVerdict = "pass" | "fail" | "undecided" | "no limits";

/** Exit status of each verdict: undecided is its own status (3), never a pass. */
export const gateExitCodes: Readonly<Record<GateVerdict, 0 | 1 | 3>> = { pass: 0, fail: 1, undecided: 3, "no limits": 0 };

export interface LimitEvaluation {
  readonly limit: ScenarioLimit;
  /** "cross", "cross, account futures" or "cross, route carry". */
  readonly scope: string;
  /** The point estimate; null when the run has no such figure. */
  readonly estimate: number | null;
  /** Probability metrics: the event count, paths and Wilson interval at the limit's confidence. */
  readonly events: number | null;
  readonly trials: number | null;
  readonly confidence: number | null;
  readonly interval: readonly [number, number] | null;
  readonly outcome: LimitOutcome;
  /** One sentence saying why. */
  readonly reason: string;
  /** An undecided probability limit: the paths at which the proportion seen so far would decide it. */
  readonly pathsToDecide: number | null;
}

export interface GateResult {
  readonly verdict: GateVerdict;
  readonly exitCode: 0 | 1 | 3;
  readonly evaluations: readonly LimitEvaluation[];
}

const metricUnit: Readonly<Record<LimitMetric, "fraction" | "amount">> = {
  liquidationProbability: "fraction",
  hedgeBrokenProbability: "fraction",
  aprOnCapital: "fraction",
  valueAtRisk95: "amount",
  valueAtRisk99: "amount",
  expectedShortfall95: "amount",
  expectedShortfall99: "amount",
  maxDrawdownP95: "amount",
  minDistanceToLiquidationP05: "fraction",
  adlProbability: "fraction",
  reserveExhaustedProbability: "fraction",
  policyActedProbability: "fraction",
};

/** A limit's figure in the unit the metric is stated in. */
export function formatMetricValue(metric: LimitMetric, value: number | null): string {
  return metricUnit[metric] === "amount" ? formatAmount(value) : formatPercent(value);
}

function pointEstimate(metric: LimitMetric, mode: ModeSummary): number | null {
  switch (metric) {
    case "liquidationProbability":
      return mode.liquidationProbability;
    case "hedgeBrokenProbability":
      return mode.hedgeBrokenProbability;
    case "aprOnCapital":
      return mode.aprOnCapital;
    case "valueAtRisk95":
      return mode.valueAtRisk.p95;
    case "valueAtRisk99":
      return mode.valueAtRisk.p99;
    case "expectedShortfall95":
      return mode.expectedShortfall.p95;
    case "expectedShortfall99":
      return mode.expectedShortfall.p99;
    case "maxDrawdownP95":
      return mode.maxDrawdown?.p95 ?? null;
    case "minDistanceToLiquidationP05":
      return mode.minDistanceToLiquidation?.p05 ?? null;
    case "adlProbability":
      return mode.adlProbability ?? null;
    case "reserveExhaustedProbability":
    case "policyActedProbability":
      return null;
  }
}

function scopeOf(limit: ScenarioLimit): string {
  if (limit.account !== undefined) return `${limit.mode}, account ${limit.account}`;
  if (limit.route !== undefined) return `${limit.mode}, route ${limit.route}`;
  if (limit.policy !== undefined) return `${limit.mode}, policy ${limit.policy}`;
  return limit.mode;
}

// Events and trials of a probability limit, from the mode, account or route it names; null when the run has none.
function countsOf(limit: ScenarioLimit, summary: RunSummary): { events: number; trials: number } | null {
  const hedge = limit.metric === "hedgeBrokenProbability";
  if (limit.policy !== undefined) {
    const policy = summary.policies?.[limit.mode]?.[limit.policy];
    if (policy === undefined) return null;
    return { events: limit.metric === "reserveExhaustedProbability" ? policy.reserveExhausted : policy.acted, trials: policy.paths };
  }
  if (limit.metric === "adlProbability") {
    const mode = summary.modes[limit.mode];
    return mode?.adls === undefined ? null : { events: mode.adls, trials: mode.paths };
  }
  if (limit.account !== undefined) {
    const account = summary.accounts?.[limit.mode]?.[limit.account];
    return account === undefined ? null : { events: account.liquidations, trials: account.paths };
  }
  const scoped = limit.route === undefined ? summary.modes[limit.mode] : summary.routes?.[limit.mode]?.[limit.route];
  if (scoped === undefined) return null;
  return { events: hedge ? scoped.hedgeBreaks : scoped.liquidations, trials: scoped.paths };
}

function missing(limit: ScenarioLimit, summary: RunSummary): string {
  if (summary.modes[limit.mode] === undefined) return `mode ${limit.mode} was not simulated in this run`;
  if (limit.account !== undefined) return summary.accounts === undefined ? "this run has no per-account outcomes" : `account ${limit.account} holds no position that can be liquidated`;
  if (limit.route !== undefined) return summary.routes === undefined ? "this run has no per-route outcomes" : `route ${limit.route} is not in this run`;
  if (limit.policy !== undefined) return summary.policies === undefined ? "this run has no per-policy outcomes" : `policy ${limit.policy} is not in this run`;
  return `${limit.metric} is not defined for this run`;
}

const eventNoun: Readonly<Partial<Record<LimitMetric, string>>> = {
  liquidationProbability: "liquidation",
  hedgeBrokenProbability: "hedge break",
  adlProbability: "auto-deleveraging",
  reserveExhaustedProbability: "exhausted reserve",
  policyActedProbability: "action",
};

function evaluateProbability(limit: ScenarioLimit, summary: RunSummary): LimitEvaluation {
  const confidence = limit.confidence ?? 0.95;
  const base = { limit, scope: scopeOf(limit), confidence, pathsToDecide: null };
  const counts = countsOf(limit, summary);
  if (counts === null) return { ...base, estimate: null, events: null, trials: null, interval: null, outcome: "undecided", reason: missing(limit, summary) };
  const { events, trials } = counts;
  const z = standardNormalQuantile(1 - (1 - confidence) / 2);
  const interval = wilsonInterval(events, trials, z);
  const [low, high] = interval;
  const estimate = events / trials;
  const level = formatLevel(confidence);
  // Each bound is judged on the side that proves it: a maximum passes when the interval's upper end is below it and
  // fails when its lower end is above; a minimum mirrors that. Anything else is undecided.
  const checks: { outcome: LimitOutcome; bound: number; reason: string }[] = [];
  if (limit.max !== undefined) {
    const max = limit.max;
    if (high < max) checks.push({ outcome: "pass", bound: max, reason: `upper end of the ${level} interval ${formatPercent(high)} < ${formatPercent(max)}` });
    else if (low > max) checks.push({ outcome: "fail", bound: max, reason: `lower end of the ${level} interval ${formatPercent(low)} > ${formatPercent(max)}` });
    else checks.push({ outcome: "undecided", bound: max, reason: `the ${level} interval [${formatPercent(low)}, ${formatPercent(high)}] contains ${formatPercent(max)}` });
  }
  if (limit.min !== undefined) {
    const min = limit.min;
    if (low > min) checks.push({ outcome: "pass", bound: min, reason: `lower end of the ${level} interval ${formatPercent(low)} > ${formatPercent(min)}` });
    else if (high < min) checks.push({ outcome: "fail", bound: min, reason: `upper end of the ${level} interval ${formatPercent(high)} < ${formatPercent(min)}` });
    else checks.push({ outcome: "undecided", bound: min, reason: `the ${level} interval [${formatPercent(low)}, ${formatPercent(high)}] contains ${formatPercent(min)}` });
  }
  const result = { ...base, estimate, events, trials, interval };
  const failed = checks.filter((c) => c.outcome === "fail");
  if (failed.length > 0) return { ...result, outcome: "fail", reason: failed.map((c) => c.reason).join("; ") };
  const undecided = checks.find((c) => c.outcome === "undecided");
  if (undecided === undefined) return { ...result, outcome: "pass", reason: checks.map((c) => c.reason).join("; ") };
  const needed = pathsToDecide(estimate, undecided.bound, z);
  const noun = eventNoun[limit.metric] ?? "event";
  // The side the estimate is on is the claim more paths could prove: "p < 0.1 %" when below the bound.
  const side = estimate < undecided.bound ? "<" : ">";
  const claim = `${formatCount(events)} ${noun}${events === 1 ? "" : "s"} in ${formatCount(trials)} paths cannot show p ${side} ${formatPercent(undecided.bound)} at ${level}`;
  const advice = needed === null ? "the estimate sits on the limit" : `run >= ${formatCount(needed)} paths if the rate holds`;
  return { ...result, outcome: "undecided", reason: `${claim}; ${advice}`, pathsToDecide: needed };
}

/** A metric's interval in the summary (at the summary's confidence); null when the run cannot give one. */
function intervalOf(metric: LimitMetric, mode: ModeSummary): FigureInterval {
  switch (metric) {
    case "aprOnCapital":
      return mode.aprOnCapitalCi;
    case "valueAtRisk95":
      return mode.valueAtRisk.p95Ci;
    case "valueAtRisk99":
      return mode.valueAtRisk.p99Ci;
    case "expectedShortfall95":
      return mode.expectedShortfall.p95Ci;
    case "expectedShortfall99":
      return mode.expectedShortfall.p99Ci;
    case "maxDrawdownP95":
      return mode.maxDrawdown?.p95Ci ?? null;
    case "minDistanceToLiquidationP05":
      return mode.minDistanceToLiquidation?.p05Ci ?? null;
    default:
      return null;
  }
}

/**
 * The paths at which an interval of this half-width towards the bound would clear it, if the estimate holds: a
 * half-width shrinks as 1/√n, so n' = n (h / |estimate − bound|)², rounded up. Null when the estimate is the bound.
 */
function pathsToClear(paths: number, estimate: number, bound: number, interval: readonly [number, number]): number | null {
  if (estimate === bound) return null;
  const half = bound > estimate ? interval[1] - estimate : estimate - interval[0];
  return Math.max(paths + 1, Math.ceil(paths * (half / Math.abs(estimate - bound)) ** 2));
}

/**
 * Any other metric (APR, VaR, ES, drawdown, distance) judged on its interval in the summary, as a probability is:
 * a maximum passes when the interval's upper end is at or below it and fails when its lower end is above it; a
 * minimum mirrors that; otherwise undecided, with the paths that would decide it if the estimate holds.
 */
function evaluateInterval(limit: ScenarioLimit, summary: RunSummary): LimitEvaluation {
  const mode = summary.modes[limit.mode];
  const base = { limit, scope: scopeOf(limit), events: null, trials: null, confidence: mode?.confidence ?? null, pathsToDecide: null };
  const estimate = mode === undefined ? null : pointEstimate(limit.metric, mode);
  if (mode === undefined || estimate === null) return { ...base, estimate, interval: null, outcome: "undecided", reason: missing(limit, summary) };
  const interval = intervalOf(limit.metric, mode);
  const show = (value: number): string => formatMetricValue(limit.metric, value);
  if (interval === null) return { ...base, estimate, interval, outcome: "undecided", reason: `${show(estimate)} has no interval in this run (too few paths in its tail); run more paths` };
  const [low, high] = interval;
  const level = formatLevel(mode.confidence);
  const checks: { outcome: LimitOutcome; bound: number; reason: string }[] = [];
  if (limit.max !== undefined) {
    const max = limit.max;
    if (high <= max) checks.push({ outcome: "pass", bound: max, reason: `upper end of the ${level} interval ${show(high)} <= ${show(max)}` });
    else if (low > max) checks.push({ outcome: "fail", bound: max, reason: `lower end of the ${level} interval ${show(low)} > ${show(max)}` });
    else checks.push({ outcome: "undecided", bound: max, reason: `the ${level} interval [${show(low)}, ${show(high)}] contains ${show(max)}` });
  }
  if (limit.min !== undefined) {
    const min = limit.min;
    if (low >= min) checks.push({ outcome: "pass", bound: min, reason: `lower end of the ${level} interval ${show(low)} >= ${show(min)}` });
    else if (high < min) checks.push({ outcome: "fail", bound: min, reason: `upper end of the ${level} interval ${show(high)} < ${show(min)}` });
    else checks.push({ outcome: "undecided", bound: min, reason: `the ${level} interval [${show(low)}, ${show(high)}] contains ${show(min)}` });
  }
  const result = { ...base, estimate, interval };
  const failed = checks.filter((c) => c.outcome === "fail");
  if (failed.length > 0) return { ...result, outcome: "fail", reason: failed.map((c) => c.reason).join("; ") };
  const undecided = checks.find((c) => c.outcome === "undecided");
  if (undecided === undefined) return { ...result, outcome: "pass", reason: checks.map((c) => c.reason).join("; ") };
  const needed = pathsToClear(mode.paths, estimate, undecided.bound, interval);
  const advice = needed === null ? "the estimate sits on the limit" : `run >= ${formatCount(needed)} paths if the estimate holds`;
  return { ...result, outcome: "undecided", reason: `${undecided.reason}; ${advice}`, pathsToDecide: needed };
}

/**
 * The sign-off gate: each of the scenario's `limits` judged on the run's summary. A probability limit (liquidation
 * or hedge-broken probability of a mode, account or route) passes only when its whole Wilson interval, at the
 * limit's confidence (default 95 %, two-sided), lies on the passing side; it fails when the whole interval lies on
 * the failing side; otherwise it is undecided: too few paths to tell, its own outcome and never a pass. Every other
 * metric is judged the same way on its interval in the summary (evaluateInterval). A limit on a figure the run does not
 * have (a mode not simulated, no per-account outcomes) is undecided. Verdict: fail if any limit fails, else
 * undecided if any is, else pass; "no limits" when the scenario sets none. Pure: the same summary and limits give
 * the same result. Tested for each outcome in evaluate-limits.test.ts.
 */
export function evaluateLimits(limits: readonly ScenarioLimit[] | undefined, summary: RunSummary): GateResult {
  if (limits === undefined || limits.length === 0) return { verdict: "no limits", exitCode: 0, evaluations: [] };
  const evaluations = limits.map((limit) => (probabilityMetrics.includes(limit.metric) ? evaluateProbability(limit, summary) : evaluateInterval(limit, summary)));
  const verdict: GateVerdict = evaluations.some((e) => e.outcome === "fail") ? "fail" : evaluations.some((e) => e.outcome === "undecided") ? "undecided" : "pass";
  return { verdict, exitCode: gateExitCodes[verdict], evaluations };
}
