import {
  Account,
  MstressError,
  bracketForNotional,
  initialMargin,
  money,
  perpetualTerms,
  type Ledger,
  type MarginMode,
  type MarketSnapshot,
  type PerpetualTerms,
} from "@mstress/core/engine";
import type { Scenario, VenueProfile } from "@mstress/core";

/** The assets a scenario's legs are priced in (perp bases and spot assets), for the path. */
export function scenarioAssets(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>): string[] {
  const assets = new Set<string>();
  for (const leg of scenario.legs) {
    if (leg.type === "spot") assets.add(leg.asset);
    else assets.add(termsFor(scenario, venues, leg.account, leg.symbol, scenario.legs.indexOf(leg)).base);
  }
  return [...assets];
}

export function venueFor(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>, accountName: string): VenueProfile {
  const index = scenario.accounts.findIndex((a) => a.name === accountName);
  const venueName = scenario.accounts[index]?.venue ?? "";
  const venue = venues.get(venueName);
  if (venue === undefined) throw new MstressError("E_UNKNOWN_VENUE", `accounts.${accountName}.venue: no venue profile named ${JSON.stringify(venueName)} was loaded`);
  return venue;
}

export function termsFor(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>, accountName: string, symbol: string, legIndex: number): PerpetualTerms {
  const venue = venueFor(scenario, venues, accountName);
  if (venue.symbols[symbol] === undefined) {
    throw new MstressError("E_UNKNOWN_SYMBOL", `legs.${scenario.legs[legIndex]?.name ?? legIndex}.symbol: expected a symbol venue ${venue.name} lists (${Object.keys(venue.symbols).join(", ")}), got ${JSON.stringify(symbol)}`);
  }
  const terms = perpetualTerms(venue, symbol);
  return scenario.costs.fees ? terms : { ...terms, takerFeeRate: 0, makerFeeRate: 0, liquidationFeeRate: 0 };
}

/** Route of each leg: the scenario's routes, or one route holding every leg. */
export function routeOfLeg(scenario: Scenario): Map<string, string> {
  const routes = scenario.routes ?? [{ name: scenario.name, legs: scenario.legs.map((l) => l.name) }];
  const byLeg = new Map<string, string>();
  for (const route of routes) for (const leg of route.legs) if (!byLeg.has(leg)) byLeg.set(leg, route.name);
  for (const leg of scenario.legs) if (!byLeg.has(leg.name)) byLeg.set(leg.name, leg.name);
  return byLeg;
}

/** The perpetual terms of each leg, by leg index (null for spot legs); fees are zeroed when costs.fees is off. */
export function legTerms(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>): (PerpetualTerms | null)[] {
  return scenario.legs.map((leg, index) => (leg.type === "perp" ? termsFor(scenario, venues, leg.account, leg.symbol, index) : null));
}

/** Throws bad input, one line per problem, when the route cannot be opened in this mode at these prices. */
export function assertRouteOpens(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>, mode: MarginMode, start: MarketSnapshot): void {
  const problems = openingProblems(scenario, venues, mode, start);
  if (problems.length > 0) throw new MstressError("E_BAD_INPUT", problems.join("\n"));
}

/**
 * Opens a route under one margin mode at t = 0: an Account per scenario account (pinned accounts keep their own
 * mode), the deposit, then every leg at the start prices (perps pay the taker fee; spot is held). Replay and the
 * Monte Carlo both start here, after `assertRouteOpens`.
 */
export function openRoute(input: {
  readonly scenario: Scenario;
  readonly venues: ReadonlyMap<string, VenueProfile>;
  readonly terms: readonly (PerpetualTerms | null)[];
  readonly mode: MarginMode;
  readonly ledger: Ledger;
  readonly start: MarketSnapshot;
  readonly routeOf: ReadonlyMap<string, string>;
}): Account[] {
  const { scenario, venues, mode, ledger, start, routeOf } = input;
  const accounts = scenario.accounts.map((spec) => {
    const account = new Account(spec.name, venueFor(scenario, venues, spec.name), spec.mode ?? mode, ledger);
    account.deposit(0, money(spec.deposit));
    return account;
  });
  scenario.legs.forEach((leg, index) => {
    const account = accounts.find((a) => a.name === leg.account);
    if (account === undefined) throw new MstressError("E_INVARIANT", `no account ${leg.account}`);
    const route = routeOf.get(leg.name) ?? leg.name;
    if (leg.type === "spot") {
      account.holdSpot({ leg: leg.name, route, asset: leg.asset, side: 1, quantity: money(leg.qty) }, start.indexPrice(leg.asset));
      return;
    }
    const terms = input.terms[index];
    if (terms == null) throw new MstressError("E_INVARIANT", `no terms for leg ${leg.name}`);
    account.openPerpetual(
      0,
      { leg: leg.name, route, terms, side: leg.side === "long" ? 1 : -1, quantity: money(leg.qty), ...(leg.isolatedMargin === undefined ? {} : { isolatedMargin: money(leg.isolatedMargin) }) },
      start.markPrice(terms),
    );
  });
  return accounts;
}

/**
 * What makes a route impossible to open in a mode, one line each: an isolated leg without an allocation, or with
 * less than its initial margin (notional / the bracket's max leverage); allocations above the deposit; a cross or
 * portfolio account whose deposit (plus spot collateral) does not cover its positions' initial margin.
 */
export function openingProblems(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>, mode: MarginMode, start: MarketSnapshot): string[] {
  const problems: string[] = [];
  scenario.accounts.forEach((spec) => {
    const accountMode = spec.mode ?? mode;
    let allocated = 0;
    let requiredInitial = 0;
    scenario.legs.forEach((leg, legIndex) => {
      if (leg.account !== spec.name || leg.type !== "perp") return;
      const terms = termsFor(scenario, venues, leg.account, leg.symbol, legIndex);
      const notional = leg.qty * start.markPrice(terms);
      const bracket = bracketForNotional(terms.brackets, notional);
      const required = initialMargin(notional, bracket.maxLeverage);
      requiredInitial += required;
      if (accountMode !== "isolated") return;
      if (leg.isolatedMargin === undefined) {
        problems.push(`legs.${leg.name}.isolatedMargin: expected a positive amount: account ${spec.name} is in isolated mode`);
        return;
      }
      allocated += leg.isolatedMargin;
      if (leg.isolatedMargin < required) {
        problems.push(
          `legs.${leg.name}.isolatedMargin: expected at least the initial margin ${required.toFixed(2)} (notional ${notional.toFixed(2)} / max leverage ${bracket.maxLeverage} of bracket ${bracket.tier}), got ${leg.isolatedMargin}`,
        );
      }
    });
    if (accountMode === "isolated" && allocated > spec.deposit) {
      problems.push(`accounts.${spec.name}.deposit: expected at least the isolated margin allocated to its legs (${allocated}), got ${spec.deposit}`);
    }
    const spotCollateral =
      accountMode === "portfolio"
        ? scenario.legs.reduce((sum, leg) => sum + (leg.type === "spot" && leg.account === spec.name ? leg.qty * start.indexPrice(leg.asset) * (venues.get(spec.venue)?.portfolio?.collateral[leg.asset]?.ratio ?? 0) : 0), 0)
        : 0;
    if (accountMode !== "isolated" && requiredInitial > spec.deposit + spotCollateral) {
      problems.push(`accounts.${spec.name}.deposit: expected at least the initial margin of its positions (${requiredInitial.toFixed(2)}) in ${accountMode} mode, got ${spec.deposit}`);
    }
  });
  return problems;
}

