import { MstressError, policyName, splitSource, type MarginMode } from "@mstress/core/engine";
import type { Scenario, ScenarioPolicy } from "@mstress/core";

// The scenario's policies compiled once per plan into indices the route evaluator reads without a lookup by
// name: legs by their index in scenario.legs, accounts by their index in scenario.accounts, routes by name.

export const PolicyKind = { TopUp: 0, DeRisk: 1, Unwind: 2, Exit: 3 } as const;
export type PolicyKindCode = (typeof PolicyKind)[keyof typeof PolicyKind];

export const TopUpSource = { FreeBalance: 0, Account: 1, SellSpot: 2 } as const;
export type TopUpSourceCode = (typeof TopUpSource)[keyof typeof TopUpSource];

export interface CompiledPolicy {
  readonly index: number;
  readonly name: string;
  readonly kind: PolicyKindCode;
  /** The modes it applies in. */
  readonly modes: readonly MarginMode[];
  /** Legs of the route(s) it acts on (deRisk, unwind, exit) or whose perp it may reduce (topUp from spot). */
  readonly routeLegs: Int32Array;
  /** The routes it covers (deRisk, unwind, exit), by name. */
  readonly routes: readonly string[];
  /** Distance trigger (topUp, deRisk); NaN when none. */
  readonly distanceBelow: number;
  readonly cooldown: number;
  /** topUp: the watched leg (-1: the account) and the account whose distance is watched and which is topped up. */
  readonly leg: number;
  readonly account: number;
  readonly addAmount: number;
  /** topUp: the distance to restore to, NaN when a fixed amount is added. */
  readonly toDistance: number;
  readonly source: TopUpSourceCode;
  /** topUp from an account: its index; from spot: the spot leg's index; else -1. */
  readonly sourceIndex: number;
  readonly delay: number;
  readonly fee: number;
  readonly maxTotal: number;
  /** deRisk: fraction of every leg to reduce (1: close). */
  readonly reduce: number;
  /** exit: funding level per 8 h and consecutive settlements, or a PnL level (NaN where not used). */
  readonly fundingBelow: number;
  readonly settlements: number;
  readonly pnlBelow: number;
}

export interface CompiledPolicies {
  readonly policies: readonly CompiledPolicy[];
  readonly names: readonly string[];
}

const noPolicies: CompiledPolicies = { policies: [], names: [] };

/** Compiles the scenario's policies (already validated by the schema) against its legs, accounts and routes. */
export function compilePolicies(scenario: Scenario, routeOf: ReadonlyMap<string, string>): CompiledPolicies {
  if (scenario.policies.length === 0) return noPolicies;
  const legIndex = (name: string): number => scenario.legs.findIndex((leg) => leg.name === name);
  const accountIndex = (name: string): number => scenario.accounts.findIndex((account) => account.name === name);
  const allRoutes = [...new Set(routeOf.values())];
  const legsOfRoutes = (routes: readonly string[]): Int32Array =>
    Int32Array.from(scenario.legs.flatMap((leg, i) => (routes.includes(routeOf.get(leg.name) ?? "") ? [i] : [])));
  const policies = scenario.policies.map((spec: ScenarioPolicy, index): CompiledPolicy => {
    const base = {
      index,
      name: policyName(spec, index),
      modes: spec.modes ?? ["isolated", "cross", "portfolio"],
      distanceBelow: Number.NaN,
      cooldown: 0,
      leg: -1,
      account: -1,
      addAmount: Number.NaN,
      toDistance: Number.NaN,
      source: TopUpSource.FreeBalance,
      sourceIndex: -1,
      delay: 0,
      fee: 0,
      maxTotal: Number.POSITIVE_INFINITY,
      reduce: 1,
      fundingBelow: Number.NaN,
      settlements: 0,
      pnlBelow: Number.NaN,
    } satisfies Omit<CompiledPolicy, "kind" | "routeLegs" | "routes">;
    switch (spec.kind) {
      case "topUp": {
        const leg = spec.leg === undefined ? -1 : legIndex(spec.leg);
        const legSpec = scenario.legs[leg];
        const account = accountIndex(spec.account ?? legSpec?.account ?? "");
        const [sourceKind, sourceName] = splitSource(spec.from);
        const source = sourceKind === "account" ? TopUpSource.Account : sourceKind === "sell-spot" ? TopUpSource.SellSpot : TopUpSource.FreeBalance;
        const sourceIndex = source === TopUpSource.Account ? accountIndex(sourceName) : source === TopUpSource.SellSpot ? legIndex(sourceName) : -1;
        if (account < 0 || (source !== TopUpSource.FreeBalance && sourceIndex < 0)) throw new MstressError("E_INVARIANT", `policy ${base.name}: unresolved leg, account or source`);
        const route = legSpec === undefined ? [] : [routeOf.get(legSpec.name) ?? ""];
        return {
          ...base,
          kind: PolicyKind.TopUp,
          routes: route,
          routeLegs: legsOfRoutes(route),
          distanceBelow: spec.when.distanceBelow,
          cooldown: spec.cooldown,
          leg,
          account,
          addAmount: "amount" in spec.add ? spec.add.amount : Number.NaN,
          toDistance: "toDistance" in spec.add ? spec.add.toDistance : Number.NaN,
          source,
          sourceIndex,
          delay: spec.delay,
          fee: spec.fee,
          maxTotal: spec.maxTotal ?? Number.POSITIVE_INFINITY,
        };
      }
      case "deRisk": {
        const routes = spec.route === undefined ? allRoutes : [spec.route];
        return { ...base, kind: PolicyKind.DeRisk, routes, routeLegs: legsOfRoutes(routes), distanceBelow: spec.when.distanceBelow, cooldown: spec.cooldown, reduce: spec.reduce === "close" ? 1 : spec.reduce };
      }
      case "unwind": {
        const routes = spec.route === undefined ? allRoutes : [spec.route];
        return { ...base, kind: PolicyKind.Unwind, routes, routeLegs: legsOfRoutes(routes), delay: spec.delay };
      }
      case "exit": {
        const routes = spec.route === undefined ? allRoutes : [spec.route];
        const when = spec.when;
        return {
          ...base,
          kind: PolicyKind.Exit,
          routes,
          routeLegs: legsOfRoutes("pnlBelow" in when ? allRoutes : routes),
          fundingBelow: "fundingBelow" in when ? when.fundingBelow : Number.NaN,
          settlements: "settlements" in when ? when.settlements : 0,
          pnlBelow: "pnlBelow" in when ? when.pnlBelow : Number.NaN,
        };
      }
    }
  });
  return { policies, names: policies.map((p) => p.name) };
}
