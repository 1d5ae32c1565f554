import type { Account, LiquidationRecord, Scenario } from "@mstress/core";
import { accountOutcomeColumn, accountOutcomeWidth, routeOutcomeColumn, routeOutcomeWidth } from "./outcome-fields.js";
import type { OutcomeEntities } from "./simulation-plan.js";

/**
 * What forced closes did on one path in one mode: to the mode (loss, first liquidation, first broken hedge), to
 * each account that holds positions, and to each route. Reset per mode; written as the per-account and per-route
 * rows (outcome-fields.ts).
 */
export class LiquidationTally {
  loss = 0;
  liquidatedAt = Number.NaN;
  hedgeBrokenAt = Number.NaN;
  adlAt = Number.NaN;
  /** 1 when the first hedge break came from an ADL close, 0 from a liquidation. */
  hedgeBrokenByAdl = 0;
  readonly #scenario: Scenario;
  readonly #routeOf: ReadonlyMap<string, string>;
  readonly #routeEntity: ReadonlyMap<string, number>;
  readonly #accountLiquidatedAt: Float64Array;
  readonly #accountLoss: Float64Array;
  /** Each account's worst distance to liquidation, set at the horizon (NaN: none). */
  readonly accountDistance: Float64Array;
  readonly #routeLiquidatedAt: Float64Array;
  readonly #routeHedgeBrokenAt: Float64Array;
  #accounts: readonly Account[] = [];

  constructor(scenario: Scenario, routeOf: ReadonlyMap<string, string>, entities: OutcomeEntities) {
    this.#scenario = scenario;
    this.#routeOf = routeOf;
    this.#routeEntity = new Map(entities.routes.map((route, e) => [route, e]));
    this.#accountLiquidatedAt = new Float64Array(entities.accounts.length);
    this.#accountLoss = new Float64Array(entities.accounts.length);
    this.accountDistance = new Float64Array(entities.accounts.length);
    this.#routeLiquidatedAt = new Float64Array(entities.routes.length);
    this.#routeHedgeBrokenAt = new Float64Array(entities.routes.length);
  }

  /** Starts a mode on a path; `accounts` are its accounts (a leg is alive while one of them holds it). */
  reset(accounts: readonly Account[]): void {
    this.#accounts = accounts;
    this.loss = 0;
    this.liquidatedAt = Number.NaN;
    this.hedgeBrokenAt = Number.NaN;
    this.adlAt = Number.NaN;
    this.hedgeBrokenByAdl = 0;
    this.#accountLiquidatedAt.fill(Number.NaN);
    this.#accountLoss.fill(0);
    this.accountDistance.fill(Number.NaN);
    this.#routeLiquidatedAt.fill(Number.NaN);
    this.#routeHedgeBrokenAt.fill(Number.NaN);
  }

  /**
   * Books forced closes in the account with entity index `entity`. A route's hedge breaks when one of its legs is
   * closed by liquidation while another of its legs (spot, or a perp in any account) stays open.
   */
  record(records: readonly LiquidationRecord[], entity: number): void {
    const legs = this.#scenario.legs;
    for (const r of records) {
      // A forced close that realises a gain (a short drained by negative funding and closed below its entry) has a
      // negative record loss under the core's definition (realised loss + fee + margin seized). It counts here as
      // no loss, not as a gain: the margin went to funding and fees, which the PnL and funding figures report.
      const loss = Math.max(0, r.loss);
      this.loss += loss;
      if (Number.isNaN(this.liquidatedAt)) this.liquidatedAt = r.t;
      this.#accountLoss[entity] = (this.#accountLoss[entity] ?? 0) + loss;
      if (Number.isNaN(this.#accountLiquidatedAt[entity] ?? 0)) this.#accountLiquidatedAt[entity] = r.t;
      const route = this.#routeEntity.get(r.route) ?? -1;
      if (Number.isNaN(this.#routeLiquidatedAt[route] ?? 0)) this.#routeLiquidatedAt[route] = r.t;
      if (r.closesLeg) this.#legGone(r.t, r.leg, r.route, legs, false);
    }
  }

  /** An ADL close of `leg` at time t (whole when `closesLeg`): the route's hedge breaks if another of its legs lives. */
  recordAdl(t: number, leg: string, route: string, closesLeg: boolean): void {
    if (Number.isNaN(this.adlAt)) this.adlAt = t;
    if (closesLeg) this.#legGone(t, leg, route, this.#scenario.legs, true);
  }

  /** A leg of `route` is gone by a forced close: the route's hedge breaks if another of its legs (spot, or a perp still open) lives. */
  #legGone(t: number, legName: string, routeName: string, legs: Scenario["legs"], byAdl: boolean): void {
    const route = this.#routeEntity.get(routeName) ?? -1;
    if (!Number.isNaN(this.#routeHedgeBrokenAt[route] ?? 0)) return;
    const partnerAlive = legs.some(
      (leg) => leg.name !== legName && this.#routeOf.get(leg.name) === routeName &&
        (leg.type === "spot" ? this.#accounts.some((a) => a.spot.some((h) => h.leg === leg.name)) : this.#accounts.some((a) => a.positions.some((p) => p.leg === leg.name))),
    );
    if (!partnerAlive) return;
    this.#routeHedgeBrokenAt[route] = t;
    if (Number.isNaN(this.hedgeBrokenAt)) {
      this.hedgeBrokenAt = t;
      this.hedgeBrokenByAdl = byAdl ? 1 : 0;
    }
  }

  /** Writes the per-account rows from `accountAt` and the per-route rows from `routeAt` (one mode's block each). */
  write(accountRows: Float64Array, accountAt: number, routeRows: Float64Array, routeAt: number): void {
    const ac = accountOutcomeColumn;
    for (let e = 0; e < this.#accountLoss.length; e++) {
      const at = accountAt + e * accountOutcomeWidth;
      const liquidatedAt = this.#accountLiquidatedAt[e] ?? Number.NaN;
      accountRows[at + ac.liquidated] = Number.isNaN(liquidatedAt) ? 0 : 1;
      accountRows[at + ac.liquidatedAt] = liquidatedAt;
      accountRows[at + ac.loss] = this.#accountLoss[e] ?? 0;
      accountRows[at + ac.minDistanceToLiquidation] = this.accountDistance[e] ?? Number.NaN;
    }
    const rc = routeOutcomeColumn;
    for (let e = 0; e < this.#routeLiquidatedAt.length; e++) {
      const at = routeAt + e * routeOutcomeWidth;
      const liquidatedAt = this.#routeLiquidatedAt[e] ?? Number.NaN;
      const hedgeBrokenAt = this.#routeHedgeBrokenAt[e] ?? Number.NaN;
      routeRows[at + rc.liquidated] = Number.isNaN(liquidatedAt) ? 0 : 1;
      routeRows[at + rc.liquidatedAt] = liquidatedAt;
      routeRows[at + rc.hedgeBroken] = Number.isNaN(hedgeBrokenAt) ? 0 : 1;
      routeRows[at + rc.hedgeBrokenAt] = hedgeBrokenAt;
    }
  }
}
