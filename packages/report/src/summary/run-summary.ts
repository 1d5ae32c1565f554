import type { ModeLabel } from "@mstress/core";
import type { AccountSummary } from "./summarise-accounts.js";
import type { ModeSummary } from "./summarise-mode.js";
import type { PolicySummary } from "./summarise-policies.js";
import type { RouteSummary } from "./summarise-routes.js";

/**
 * summary.json: what a run found, per margin mode, and per account and route when the run wrote their outcomes.
 * A pure function of (scenario, seed, outcome rows in path order), with nothing about how the run was executed
 * (that is the manifest's), so one run and merged shards give byte-identical files. Built by the CLI's
 * `runSummary`; read back by the report.
 */
export interface RunSummary {
  readonly scenario: string;
  readonly scenarioSha256: string;
  readonly seed: string;
  readonly paths: number;
  readonly horizonSeconds: number;
  readonly modes: Readonly<Partial<Record<ModeLabel, ModeSummary>>>;
  /** mode -> account -> figures. */
  readonly accounts?: Readonly<Record<string, Readonly<Record<string, AccountSummary>>>>;
  /** mode -> route -> figures. */
  readonly routes?: Readonly<Record<string, Readonly<Record<string, RouteSummary>>>>;
  /** mode -> policy -> figures (a scenario with policies). */
  readonly policies?: Readonly<Record<string, Readonly<Record<string, PolicySummary>>>>;
}
