import type { Account, PerpetualPosition, SpotHolding } from "./account.js";
import { unrealisedPnl } from "./account.js";
import type { MarketSnapshot } from "./market-snapshot.js";
import { scaledSnapshot } from "./market-snapshot.js";
import { effectiveMaintenanceRate, marginRequirement } from "../margin/maintenance-margin.js";
import { bracketForNotional } from "../venue/maintenance-bracket.js";
import { distanceToLiquidation, liquidationPrice } from "../liquidation/liquidation-price.js";
import { liquidationFactors } from "../liquidation/price-factor-solver.js";

// Risk checks run every step of a path, so they work in float64 on the float mirrors of the booked decimals:
// a check decides *whether* something is booked, and what is then booked is computed in decimals by the Account.

/** Equity of an isolated position: its allocation plus its unrealised PnL. */
export function isolatedEquity(account: Account, position: PerpetualPosition, market: MarketSnapshot): number {
  return account.isolatedMargin(position.leg) + unrealisedPnl(position, market.markPrice(position.terms));
}

export function positionMaintenance(position: PerpetualPosition, market: MarketSnapshot): number {
  return maintenanceValue(position.terms, position.quantityValue, market.markPrice(position.terms), position.entryValue);
}

/** `maintenanceMargin(...).maintenanceMargin` without the result object: this runs in every risk check. */
function maintenanceValue(terms: PerpetualPosition["terms"], quantity: number, markPrice: number, entryPrice: number): number {
  const notional = quantity * (terms.convention === "entry-value" ? entryPrice : markPrice);
  const bracket = bracketForNotional(terms.brackets, notional);
  return Math.max(0, marginRequirement(notional, effectiveMaintenanceRate(terms, bracket), bracket.maintenanceAmount));
}

/** Spot collateral at its haircut; the haircut applies to long holdings only (Binance PM, docs/venues.md §6.1). */
export function spotCollateralValue(account: Account, holding: SpotHolding, market: MarketSnapshot): number {
  const value = holding.side * holding.quantityValue * market.indexPrice(holding.asset);
  const ratio = account.venue.portfolio?.collateral[holding.asset]?.ratio ?? 0;
  return value > 0 ? value * ratio : value;
}

/**
 * Account-level equity under cross or portfolio margin: wallet + unrealised PnL of every position, plus the spot
 * collateral at its haircut in portfolio mode (docs/domain.md glossary).
 */
export function accountEquity(account: Account, market: MarketSnapshot): number {
  let equity = account.walletBalance();
  for (const position of account.positions) equity += unrealisedPnl(position, market.markPrice(position.terms));
  if (account.mode === "portfolio") {
    for (const holding of account.spot) equity += spotCollateralValue(account, holding, market);
  }
  return equity;
}

/**
 * The maintenance requirement the account-level trigger compares equity with. Cross: the sum over positions.
 * Portfolio: `gross` as cross; `net` on each asset's net delta (perps plus spot collateral) with the venue's
 * add-on on the offset notional, so a perp short and an equal spot long mostly cancel (docs/domain.md).
 */
export function accountMaintenance(account: Account, market: MarketSnapshot): number {
  const portfolio = account.venue.portfolio;
  let total = 0;
  if (account.mode !== "portfolio" || portfolio === undefined || portfolio.maintenanceOn === "gross") {
    for (const position of account.positions) total += positionMaintenance(position, market);
    return total;
  }
  // Loops rather than filter/Set: this runs at every step of every Monte Carlo path and must not allocate.
  const { positions, spot } = account;
  for (let i = 0; i < positions.length; i++) {
    const reference = positions[i];
    if (reference === undefined) continue;
    const asset = reference.terms.base;
    if (firstPositionOn(positions, asset) !== i) continue;
    let gross = 0;
    let net = 0;
    for (const p of positions) {
      if (p.terms.base !== asset) continue;
      gross += p.quantityValue;
      net += p.side * p.quantityValue;
    }
    for (const s of spot) {
      if (s.asset !== asset) continue;
      gross += s.quantityValue;
      net += s.side * s.quantityValue;
    }
    const mark = market.markPrice(reference.terms);
    total += maintenanceValue(reference.terms, Math.abs(net), mark, reference.entryValue);
    total += portfolio.hedgeAddOnRate * ((gross - Math.abs(net)) / 2) * mark;
  }
  return total;
}

function firstPositionOn(positions: readonly PerpetualPosition[], asset: string): number {
  for (let i = 0; i < positions.length; i++) if (positions[i]?.terms.base === asset) return i;
  return -1;
}

/** The account's liquidation threshold factor: 1 for cross, the venue's ratio (e.g. uniMMR 1.05) for portfolio. */
export function liquidationThreshold(account: Account): number {
  return account.mode === "portfolio" ? (account.venue.portfolio?.liquidationThreshold ?? 1) : 1;
}

/**
 * Margin over the liquidation trigger (positive = alive). Isolated: the smallest surplus among positions;
 * cross/portfolio: equity - threshold * maintenance.
 */
export function marginSurplus(account: Account, market: MarketSnapshot): number {
  switch (account.mode) {
    case "isolated": {
      let lowest = Number.POSITIVE_INFINITY;
      for (const position of account.positions) {
        lowest = Math.min(lowest, isolatedEquity(account, position, market) - positionMaintenance(position, market));
      }
      return lowest;
    }
    case "cross":
    case "portfolio":
      return account.positions.length === 0
        ? Number.POSITIVE_INFINITY
        : accountEquity(account, market) - liquidationThreshold(account) * accountMaintenance(account, market);
  }
}

/** Legs whose own trigger is met (isolated), or every leg when the account-level trigger is met. */
export function breachedLegs(account: Account, market: MarketSnapshot): string[] {
  // Pushed, not filtered and mapped: an optimised `map` makes a holey array where the interpreter's is packed, and
  // the liquidation that reads the legs was compiled again when it met the other (the kernel's startPath likewise).
  const legs: string[] = [];
  if (account.mode === "isolated") {
    for (const position of account.positions) if (isolatedEquity(account, position, market) <= positionMaintenance(position, market)) legs.push(position.leg);
  } else if (marginSurplus(account, market) <= 0) {
    for (const position of account.positions) legs.push(position.leg);
  }
  return legs;
}

/**
 * Worst distance to liquidation over the account's positions, as a fraction of the mark. Closed form for an
 * isolated position and for a single-position cross account; otherwise the one-factor numeric solver.
 */
export function accountDistanceToLiquidation(account: Account, market: MarketSnapshot): number | null {
  if (account.positions.length === 0) return null;
  const closedForm = (position: PerpetualPosition, collateral: number): number | null =>
    distanceToLiquidation(
      liquidationPrice({ terms: position.terms, side: position.side, quantity: position.quantityValue, entryPrice: position.entryValue, collateral })
        .liquidationPrice,
      market.markPrice(position.terms),
      position.side,
    );
  if (account.mode === "isolated") {
    const distances = account.positions.map((p) => closedForm(p, account.isolatedMargin(p.leg))).filter((d): d is number => d !== null);
    return distances.length === 0 ? null : Math.min(...distances);
  }
  const only = account.positions[0];
  if (account.mode === "cross" && account.positions.length === 1 && only !== undefined) {
    return closedForm(only, account.walletBalance());
  }
  const roots = liquidationFactors((factor) => marginSurplus(account, scaledSnapshot(market, factor)));
  const distances = [roots.up, roots.down].filter((r): r is number => r !== null).map((r) => Math.abs(r - 1));
  return distances.length === 0 ? null : Math.min(...distances);
}
