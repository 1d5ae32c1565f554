import {
  Account,
  Ledger,
  accountDistanceToLiquidation,
  liquidateDue,
  marginSurplus,
  snapshotOf,
  unrealisedPnl,
  type LiquidationRecord,
  type MarginMode,
  type MarketSnapshot,
  type PerpetualTerms,
} from "@mstress/core/engine";
import type { Scenario, VenueProfile } from "@mstress/core";
import type { ScriptedPath } from "../models/scripted-path.js";
import { assertRouteOpens, legTerms, openRoute, routeOfLeg } from "../route/open-route.js";

export interface ReplayAccountResult {
  readonly name: string;
  readonly venue: string;
  readonly mode: MarginMode;
  readonly liquidated: boolean;
  /** Wallet + isolated allocations + unrealised PnL at the horizon (spot collateral not included). */
  readonly finalEquity: number;
  readonly minDistanceToLiquidation: number | null;
}

export interface ReplayModeResult {
  readonly mode: MarginMode;
  readonly liquidated: boolean;
  /** Seconds from the start to the first forced close, or null. */
  readonly liquidatedAt: number | null;
  /** Mark price of the first forced close, or null. */
  readonly liquidationPrice: number | null;
  /** What the trader lost to forced closes: realised loss since entry, liquidation fees, margin seized. */
  readonly loss: number;
  readonly hedgeBroken: boolean;
  readonly hedgeBrokenAt: number | null;
  /** Sum over margin accounts of wallet + isolated allocations + unrealised PnL at the horizon. */
  readonly finalEquity: number;
  /** Change in the route's value: margin accounts' equity change plus the spot legs' PnL. */
  readonly pnl: number;
  readonly minDistanceToLiquidation: number | null;
  /** Distance to liquidation at the horizon, before any exit. */
  readonly distanceAtHorizon: number | null;
  readonly fundingReceived: number;
  readonly tradingFees: number;
  readonly liquidationFees: number;
  readonly liquidations: readonly LiquidationRecord[];
  readonly accounts: readonly ReplayAccountResult[];
}

export interface ReplayInput {
  readonly scenario: Scenario;
  /** Venue profiles by the names the scenario's accounts use. */
  readonly venues: ReadonlyMap<string, VenueProfile>;
  readonly path: ScriptedPath;
}

/** The instants the replay checks: every step, every path point, every funding settlement, and the horizon. */
function checkTimes(horizon: number, step: number, pointTimes: readonly number[], fundingIntervals: readonly number[]): number[] {
  const times = new Set<number>(pointTimes);
  for (let t = 0; t < horizon; t += step) times.add(t);
  for (const interval of fundingIntervals) for (let t = interval; t <= horizon; t += interval) times.add(t);
  times.add(horizon);
  return [...times].filter((t) => t <= horizon).sort((a, b) => a - b);
}

/**
 * Replays a route along a scripted path under one margin mode: opens every leg at t = 0, then at each check time
 * locates any liquidation crossing exactly on the interpolated path (bisection in time), settles funding at the
 * venue's cadence, and liquidates per the venue's rules. Deterministic: no randomness, no clock.
 */
export function replayRoute(input: ReplayInput, mode: MarginMode): ReplayModeResult {
  const { scenario, venues, path } = input;
  const ledger = new Ledger();
  const routeOf = routeOfLeg(scenario);
  const marketAt = (t: number): MarketSnapshot => {
    const state = path.at(t);
    return snapshotOf(state.index, state.basis);
  };
  const start = marketAt(0);

  assertRouteOpens(scenario, venues, mode, start);
  const accounts = openRoute({ scenario, venues, terms: legTerms(scenario, venues), mode, ledger, start, routeOf });

  const fundingIntervals = [...new Set(accounts.flatMap((a) => a.positions.map((p) => p.terms.fundingIntervalHours * 3600)))];
  const times = checkTimes(path.horizon, scenario.path?.step ?? 60, path.points.map((p) => p.t), scenario.costs.funding ? fundingIntervals : []);
  const liquidations: LiquidationRecord[] = [];
  const minDistance = new Map<string, number | null>(accounts.map((a) => [a.name, accountDistanceToLiquidation(a, start)]));
  const hedge: { brokenAt: number | null } = { brokenAt: null };

  const recordLiquidations = (records: readonly LiquidationRecord[]): void => {
    for (const record of records) {
      liquidations.push(record);
      minDistance.set(record.account, 0);
      if (!record.closesLeg || hedge.brokenAt !== null) continue;
      const partnerAlive = scenario.legs.some(
        (leg) => leg.name !== record.leg && routeOf.get(leg.name) === record.route &&
          (leg.type === "spot" || accounts.some((a) => a.positions.some((p) => p.leg === leg.name))),
      );
      if (partnerAlive) hedge.brokenAt = record.t;
    }
  };

  let previous = 0;
  for (const t of times.slice(1)) {
    // Every trigger met within (previous, t] fires at its own crossing, earliest first across accounts: one
    // liquidation can be followed by another account's, or another isolated leg's, later in the same step.
    let lastEvent = previous;
    for (let events = 0; events < maxEventsPerStep; events++) {
      const due = accounts.filter((a) => a.positions.length > 0 && marginSurplus(a, marketAt(t)) <= 0);
      if (due.length === 0) break;
      const crossings = due.map((account) => ({ account, at: firstBreach(account, marketAt, lastEvent, t) }));
      const earliest = crossings.reduce((a, b) => (b.at < a.at ? b : a));
      const records = liquidateDue(earliest.account, earliest.at, marketAt(earliest.at));
      recordLiquidations(records.length > 0 ? records : liquidateDue(earliest.account, t, marketAt(t)));
      lastEvent = earliest.at;
    }
    const market = marketAt(t);
    if (scenario.costs.funding) {
      // The path's rate is quoted per 8 h; a venue settling every N hours pays rate * N / 8 each time (Binance
      // since 2025-09-18, Hyperliquid's hourly F/8; docs/venues.md §1.5, §4), then its per-interval cap applies.
      const rate = path.at(t).funding;
      const isDue = (terms: PerpetualTerms): boolean => {
        const intervals = t / (terms.fundingIntervalHours * 3600);
        return Math.abs(intervals - Math.round(intervals)) < 1e-9;
      };
      for (const account of accounts) {
        if (account.positions.some((p) => isDue(p.terms))) {
          account.settleFunding(t, market, (terms) => (isDue(terms) ? (rate * terms.fundingIntervalHours) / 8 : 0));
        }
      }
    }
    for (const account of accounts) recordLiquidations(liquidateDue(account, t, market));
    for (const account of accounts) {
      const distance = accountDistanceToLiquidation(account, market);
      const lowest = minDistance.get(account.name) ?? null;
      if (distance !== null && (lowest === null || distance < lowest)) minDistance.set(account.name, distance);
    }
    previous = t;
  }

  const end = marketAt(path.horizon);
  const distances = accounts.map((a) => accountDistanceToLiquidation(a, end)).filter((d): d is number => d !== null);
  const distanceAtHorizon = distances.length === 0 ? null : Math.min(...distances);
  if (scenario.costs.closeAtHorizon) for (const account of accounts) account.exitAll(path.horizon, end);

  const accountEquity = (account: Account): number =>
    ledger.accountBalances(account.name).reduce((sum, b) => sum + b.balance.toNumber(), 0) +
    account.positions.reduce((sum, p) => sum + unrealisedPnl(p, end.markPrice(p.terms)), 0);
  const spotPnl = accounts.reduce((sum, a) => sum + a.spot.reduce((s, h) => s + h.side * h.quantityValue * (end.indexPrice(h.asset) - h.entryValue), 0), 0);
  const finalEquity = accounts.reduce((sum, a) => sum + accountEquity(a), 0);
  const deposits = scenario.accounts.reduce((sum, a) => sum + a.deposit, 0);
  const totals = ledger.totals();
  const first = liquidations.reduce<LiquidationRecord | undefined>((earliest, r) => (earliest === undefined || r.t < earliest.t ? r : earliest), undefined);
  const minDistances = [...minDistance.values()].filter((d): d is number => d !== null);

  return {
    mode,
    liquidated: first !== undefined,
    liquidatedAt: first?.t ?? null,
    liquidationPrice: first?.markPrice ?? null,
    loss: liquidations.reduce((sum, r) => sum + r.loss, 0),
    hedgeBroken: hedge.brokenAt !== null,
    hedgeBrokenAt: hedge.brokenAt,
    finalEquity,
    pnl: finalEquity - deposits + spotPnl,
    minDistanceToLiquidation: minDistances.length === 0 ? null : Math.min(...minDistances),
    distanceAtHorizon,
    fundingReceived: totals.funding.toNumber(),
    tradingFees: totals.tradingFees.toNumber(),
    liquidationFees: totals.liquidationFees.toNumber(),
    liquidations,
    accounts: accounts.map((account) => ({
      name: account.name,
      venue: account.venue.name,
      mode: account.mode,
      liquidated: liquidations.some((r) => r.account === account.name),
      finalEquity: accountEquity(account),
      minDistanceToLiquidation: minDistance.get(account.name) ?? null,
    })),
  };
}

/** A bound on forced closes located within one check interval; each one closes at least part of a position. */
const maxEventsPerStep = 10_000;

/**
 * The first instant in (alive, breached] at which the account's trigger is met along the interpolated path,
 * to 1e-6 s: a crossing between two checks liquidates where the path crosses, not at the next check.
 */
function firstBreach(account: Account, marketAt: (t: number) => MarketSnapshot, alive: number, breached: number): number {
  let a = alive;
  let b = breached;
  if (marginSurplus(account, marketAt(a)) <= 0) return a;
  while (b - a > 1e-6) {
    const mid = (a + b) / 2;
    if (marginSurplus(account, marketAt(mid)) <= 0) b = mid;
    else a = mid;
  }
  return b;
}
