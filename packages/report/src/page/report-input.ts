import type { Scenario } from "@mstress/core";
import type { ReservoirPaths } from "../charts/reservoir-paths.js";
import type { GateResult } from "../gate/evaluate-limits.js";
import type { RunSummary } from "../summary/run-summary.js";

/** A venue file a run used, as manifest.json records it: how old its figures were when the run started. */
export interface VenueFileRecord {
  readonly name: string;
  readonly file: string;
  readonly sha256: string;
  /** The file's oldest dated asOf; null when it carries none. */
  readonly asOf: string | null;
  readonly ageDays: number | null;
  readonly maxAgeDays: number;
  /** Older than maxAgeDays, or undated. */
  readonly stale: boolean;
}

/**
 * What the report shows of manifest.json. The first block fixes the figures (with the scenario file and the
 * version, the same seed and paths give the same summary); the optional second block says how this particular
 * run was executed, and differs between one run and the merge of its shards.
 */
export interface ReportManifest {
  readonly version: string;
  readonly scenario: { readonly name: string; readonly file: string; readonly sha256: string };
  readonly seed: string;
  readonly modes: readonly string[];
  readonly paths: number;
  readonly steps: number;
  readonly stepSeconds: number;
  /** The sub-step policies are timed on where one may act (absent or null when none is). */
  readonly policySubStepSeconds?: number | null;
  readonly horizonSeconds: number;
  readonly reservoirPaths: number;
  readonly stopReason: string;
  readonly precision: { readonly halfWidth: number; readonly maxPaths: number; readonly batchSize: number } | null;
  readonly gitCommit: string | null;
  /** The venue files the run read (absent in manifests written before they were recorded). */
  readonly venues?: readonly VenueFileRecord[];
  readonly execution: {
    readonly startedAt?: string;
    readonly wallSeconds?: number;
    readonly workers?: number;
    readonly chunkSize?: number;
    readonly node?: string;
    readonly pathMinuteStepsPerSecond?: number;
    readonly peakRssMegabytes?: number;
    readonly shard?: { readonly index: number; readonly count: number } | null;
    readonly mergedFrom?: readonly string[];
  };
}

/** Everything a run's report is built from; the CLI reads it from the results directory. */
export interface RunReportInput {
  readonly summary: RunSummary;
  readonly manifest: ReportManifest;
  readonly scenario: Scenario;
  /** The scenario file as written, echoed back in the report. */
  readonly scenarioText: string;
  readonly gate: GateResult;
  /** Final PnL per path for each mode, in path order (outcomes.csv). */
  readonly pnlByMode: ReadonlyMap<string, Float64Array>;
  /** The currency money is counted in (the venues' quote, e.g. "USDT"); "quote currency" when unknown. */
  readonly quoteCurrency?: string;
  /** The fan chart's sample (pnl-paths.csv), and how many paths it holds; null when the run kept none. */
  readonly reservoir: { readonly paths: number; readonly data: ReservoirPaths } | null;
}
