import type { ChartRecord } from "../charts/report-chart.js";
import { gateExitCodes, type GateResult, type GateVerdict } from "../gate/evaluate-limits.js";
import { verdictLine } from "../gate/gate-table.js";
import type { ModeSummary } from "../summary/summarise-mode.js";
import type { RunSummary } from "../summary/run-summary.js";
import { intervalsApart } from "../trend/trend-table.js";

/** What became of one scenario of a suite: it ran, it was bad input, it failed for another reason, or it was skipped. */
export type SuiteStatus = "ran" | "bad input" | "error" | "skipped";

/** A finished run of one scenario as the suite reads it: this night's, or the previous night's. */
export interface SuiteRun {
  /** Its results directory (this night's: relative to the suite directory, i.e. the scenario's name). */
  readonly directory: string;
  readonly scenarioSha256: string;
  readonly seed: string;
  readonly paths: number;
  readonly summary: RunSummary;
  readonly verdict: GateVerdict;
}

/** One scenario of the suite, as the command found it. */
export interface SuiteEntry {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  readonly status: SuiteStatus;
  /** Why it did not run (bad input, error, skipped), in one line; null when it ran. */
  readonly reason: string | null;
  /** This night's run and its sign-off (status "ran"). */
  readonly run: (SuiteRun & { readonly gate: GateResult }) | null;
  /** The same scenario's run in the previous suite (--previous), when there is one. */
  readonly previous: SuiteRun | null;
}

/**
 * A move since the previous night: "up" or "down" when this night's 95 % interval does not overlap the previous
 * night's (more than sampling error, as `mstress trend` reads a move), else "within sampling error".
 */
export type SuiteMove = "up" | "down" | "within sampling error";

/** The two figures a route is judged by in the index, each with its 95 % interval. */
export interface SuiteModeFigures {
  readonly liquidationProbability: number;
  readonly liquidationProbabilityCi: readonly [number, number];
  /** Null where the mode reserves no capital. */
  readonly aprOnCapital: number | null;
  readonly aprOnCapitalCi: readonly [number, number] | null;
}

export interface SuiteModeRecord extends SuiteModeFigures {
  readonly mode: string;
  /** The previous night's figures for this mode; null when it has none. */
  readonly previous: SuiteModeFigures | null;
  readonly liquidationProbabilityMove: SuiteMove | null;
  readonly aprOnCapitalMove: SuiteMove | null;
}

export interface SuiteScenarioRecord {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  readonly status: SuiteStatus;
  readonly reason: string | null;
  /** The run's results directory, relative to the suite directory; null when it did not run. */
  readonly directory: string | null;
  readonly scenarioSha256: string | null;
  readonly verdict: GateVerdict | null;
  /** The verdict in words: "1 of 3 limits failed", "the scenario sets no sign-off limits". */
  readonly verdictLine: string | null;
  readonly previous: {
    readonly directory: string;
    readonly verdict: GateVerdict;
    /** The scenario file differs (by SHA-256) from the one the previous night ran: a move may be the edit. */
    readonly scenarioChanged: boolean;
    /** Same seed and paths both nights: the same draws, so a move is not sampling noise. */
    readonly sameDraws: boolean;
  } | null;
  readonly modes: readonly SuiteModeRecord[];
}

/** The suite's outcome: the worst sign-off of the routes that ran, unless a scenario was bad input or failed. */
export type SuiteOutcome = GateVerdict | "bad input" | "error";

/** suite.json: the night's settings, its outcome and exit code, and every scenario with its figures. */
export interface SuiteRecord {
  readonly tool: "mstress";
  readonly version: string;
  readonly command: "suite";
  readonly seed: string;
  readonly paths: number;
  /** The previous suite directory compared with (--previous), as given. */
  readonly previous: string | null;
  readonly outcome: SuiteOutcome;
  readonly exitCode: 0 | 1 | 2 | 3 | 4;
  readonly counts: Readonly<Record<GateVerdict | Exclude<SuiteStatus, "ran">, number>>;
  readonly scenarios: readonly SuiteScenarioRecord[];
}

/** Sign-offs from worst to best: a route with no limits was not checked, so it ranks below a pass. */
const verdictRank: readonly GateVerdict[] = ["fail", "undecided", "no limits", "pass"];

/**
 * The suite's outcome and exit status: 2 if any scenario was bad input, else 4 if any failed otherwise (the tool
 * broke, or a merged result is missing), else the worst sign-off of the routes that ran (1 fail over 3 undecided
 * over 0 pass or no limits). Skipped scenarios do not count.
 */
export function suiteOutcome(entries: readonly Pick<SuiteEntry, "status" | "run">[]): { outcome: SuiteOutcome; exitCode: 0 | 1 | 2 | 3 | 4 } {
  if (entries.some((entry) => entry.status === "bad input")) return { outcome: "bad input", exitCode: 2 };
  if (entries.some((entry) => entry.status === "error")) return { outcome: "error", exitCode: 4 };
  const verdicts = new Set(entries.flatMap((entry) => (entry.run === null ? [] : [entry.run.verdict])));
  const worst = verdictRank.find((verdict) => verdicts.has(verdict)) ?? "no limits";
  return { outcome: worst, exitCode: gateExitCodes[worst] };
}

function figuresOf(mode: ModeSummary): SuiteModeFigures {
  return {
    liquidationProbability: mode.liquidationProbability,
    liquidationProbabilityCi: mode.liquidationProbabilityCi,
    aprOnCapital: mode.aprOnCapital,
    aprOnCapitalCi: mode.aprOnCapitalCi ?? null,
  };
}

function moveOf(previous: readonly [number, number] | null, current: readonly [number, number] | null): SuiteMove | null {
  if (previous === null || current === null) return null;
  if (!intervalsApart(previous, current)) return "within sampling error";
  return current[0] > previous[1] ? "up" : "down";
}

/** Each mode of this night's run beside the previous night's figures for it, and the moves between them. */
function modeRecords(run: RunSummary, previous: RunSummary | null): SuiteModeRecord[] {
  return Object.entries(run.modes).map(([mode, summary]) => {
    const figures = figuresOf(summary);
    const before = previous?.modes[mode as keyof RunSummary["modes"]];
    const was = before === undefined ? null : figuresOf(before);
    return {
      mode,
      ...figures,
      previous: was,
      liquidationProbabilityMove: was === null ? null : moveOf(was.liquidationProbabilityCi, figures.liquidationProbabilityCi),
      aprOnCapitalMove: was === null ? null : moveOf(was.aprOnCapitalCi, figures.aprOnCapitalCi),
    };
  });
}

function scenarioRecord(entry: SuiteEntry): SuiteScenarioRecord {
  const { run, previous } = entry;
  return {
    name: entry.name,
    file: entry.file,
    description: entry.description,
    status: entry.status,
    reason: entry.reason,
    directory: run?.directory ?? null,
    scenarioSha256: run?.scenarioSha256 ?? null,
    verdict: run?.verdict ?? null,
    verdictLine: run === null ? null : verdictLine(run.gate),
    previous:
      run === null || previous === null
        ? null
        : { directory: previous.directory, verdict: previous.verdict, scenarioChanged: previous.scenarioSha256 !== run.scenarioSha256, sameDraws: previous.seed === run.seed && previous.paths === run.paths },
    modes: run === null ? [] : modeRecords(run.summary, previous?.summary ?? null),
  };
}

/** suite.json's content: a pure function of the entries, so the same runs give the same bytes wherever it is built. */
export function suiteRecord(input: { readonly version: string; readonly seed: string; readonly paths: number; readonly previous: string | null; readonly entries: readonly SuiteEntry[] }): SuiteRecord {
  const { entries } = input;
  const count = (predicate: (entry: SuiteEntry) => boolean): number => entries.filter(predicate).length;
  const verdictCount = (verdict: GateVerdict): number => count((entry) => entry.run?.verdict === verdict);
  return {
    tool: "mstress",
    version: input.version,
    command: "suite",
    seed: input.seed,
    paths: input.paths,
    previous: input.previous,
    ...suiteOutcome(entries),
    counts: {
      pass: verdictCount("pass"),
      fail: verdictCount("fail"),
      undecided: verdictCount("undecided"),
      "no limits": verdictCount("no limits"),
      "bad input": count((entry) => entry.status === "bad input"),
      error: count((entry) => entry.status === "error"),
      skipped: count((entry) => entry.status === "skipped"),
    },
    scenarios: entries.map(scenarioRecord),
  };
}

/**
 * suite.csv's rows: one per scenario and mode for a route that ran (its figures, their intervals, the previous
 * night's and the moves), one per scenario that did not (its status and why).
 */
export function suiteCsvRecords(record: SuiteRecord): ChartRecord[] {
  return record.scenarios.flatMap((scenario): ChartRecord[] => {
    const base = { scenario: scenario.name, file: scenario.file, status: scenario.status, verdict: scenario.verdict, reason: scenario.reason, scenarioChanged: scenario.previous === null ? null : scenario.previous.scenarioChanged ? "yes" : "no" };
    const empty = {
      mode: null,
      liquidationProbability: null,
      liquidationProbabilityLow: null,
      liquidationProbabilityHigh: null,
      previousLiquidationProbability: null,
      liquidationProbabilityMove: null,
      aprOnCapital: null,
      aprOnCapitalLow: null,
      aprOnCapitalHigh: null,
      previousAprOnCapital: null,
      aprOnCapitalMove: null,
    };
    if (scenario.modes.length === 0) return [{ ...base, ...empty }];
    return scenario.modes.map((mode) => ({
      ...base,
      mode: mode.mode,
      liquidationProbability: mode.liquidationProbability,
      liquidationProbabilityLow: mode.liquidationProbabilityCi[0],
      liquidationProbabilityHigh: mode.liquidationProbabilityCi[1],
      previousLiquidationProbability: mode.previous?.liquidationProbability ?? null,
      liquidationProbabilityMove: mode.liquidationProbabilityMove,
      aprOnCapital: mode.aprOnCapital,
      aprOnCapitalLow: mode.aprOnCapitalCi?.[0] ?? null,
      aprOnCapitalHigh: mode.aprOnCapitalCi?.[1] ?? null,
      previousAprOnCapital: mode.previous?.aprOnCapital ?? null,
      aprOnCapitalMove: mode.aprOnCapitalMove,
    }));
  });
}
