import { z } from "zod";
import { isModeLabel } from "@mstress/core";
import type { VenueFileRecord } from "@mstress/report";

// manifest.json of `mstress run` and `mstress merge`: what fixes the figures (scenario, seed, modes, paths, step)
// and how the run was carried out. The schema is how readers (report, trend, merge) check a manifest read back.

const recordedFile = z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() });

/** What every reader needs; other fields (execution, later additions) pass through. */
export const runManifestSchema = z.looseObject({
  version: z.string(),
  scenario: z.looseObject({ name: z.string(), file: z.string(), sha256: z.string() }),
  seed: z.string(),
  /** The evaluations: each margin mode, and `<mode>-passive` after it for a scenario with policies. */
  modes: z.array(z.string().refine(isModeLabel, "expected isolated, cross or portfolio, or one of them with -passive")).min(1),
  paths: z.number().int().nonnegative(),
  steps: z.number().int().positive(),
  stepSeconds: z.number().positive(),
  /** Absent in manifests written before policies were timed on sub-steps. */
  policySubStepSeconds: z.number().positive().nullable().optional(),
  horizonSeconds: z.number().positive(),
  reservoirPaths: z.number().int().nonnegative(),
  stopReason: z.string(),
  precision: z.looseObject({ halfWidth: z.number(), maxPaths: z.number(), batchSize: z.number() }).nullable(),
  gitCommit: z.string().nullable(),
});

/** A shard's (or whole run's) manifest as merge needs it: its place in the run and its files' hashes. */
export const shardManifestSchema = runManifestSchema.extend({
  totalPaths: z.number().int().positive(),
  firstPath: z.number().int().nonnegative(),
  shard: z.strictObject({ index: z.number().int().positive(), count: z.number().int().positive() }).nullable(),
  /** The policies were added with them; results written before name none. */
  entities: z.strictObject({ accounts: z.array(z.string()), routes: z.array(z.string()), policies: z.array(z.string()).optional() }),
  files: z.record(z.string(), recordedFile),
  wallSeconds: z.number().nonnegative(),
  peakRssMegabytes: z.number().nonnegative(),
});

export type ShardManifest = z.infer<typeof shardManifestSchema>;

/** manifest.json as `mstress run` writes it. */
export interface RunManifest {
  readonly tool: "mstress";
  readonly version: string;
  readonly scenario: { readonly name: string; readonly file: string; readonly sha256: string };
  /** The venue files the accounts read, with their age when the run started (the report warns on stale ones). */
  readonly venues: readonly VenueFileRecord[];
  readonly seed: string;
  /** The evaluations, in the order of the tables' rows: each margin mode, and `<mode>-passive` after it for a scenario with policies (unless --no-baseline). */
  readonly modes: readonly string[];
  readonly totalPaths: number;
  readonly firstPath: number;
  readonly paths: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly steps: number;
  readonly stepSeconds: number;
  /** Why this step, when the scenario left it "auto" (null when it wrote one). */
  readonly stepAuto: string | null;
  /** The sub-step a step where a policy may act is walked in (null when policies need none: none that sets anything in motion, or a step already that fine). */
  readonly policySubStepSeconds: number | null;
  readonly horizonSeconds: number;
  readonly reservoirPaths: number;
  /** The accounts (those holding positions), routes and policies of account-, route- and policy-outcomes.csv, in order. */
  readonly entities: { readonly accounts: readonly string[]; readonly routes: readonly string[]; readonly policies?: readonly string[] };
  readonly stopReason: string;
  readonly precision: { readonly halfWidth: number; readonly maxPaths: number; readonly batchSize: number } | null;
  /** SHA-256 and size of each data file as written (tables, summary.json, scenario.yaml): merge checks them. */
  readonly files: Readonly<Record<string, { readonly sha256: string; readonly bytes: number }>>;
  readonly workers: number;
  readonly chunkSize: number;
  readonly node: string;
  readonly gitCommit: string | null;
  readonly startedAt: string;
  readonly wallSeconds: number;
  /** Path x 1-minute steps x modes per wall second: the throughput in the benchmark's unit. */
  readonly pathMinuteStepsPerSecond: number;
  /** Peak resident set of the process (main thread and workers), in MB. */
  readonly peakRssMegabytes: number;
}
