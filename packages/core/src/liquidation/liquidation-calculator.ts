import { Account } from "../account/account.js";
import { accountEquity, marginSurplus } from "../account/account-risk.js";
import { scaledSnapshot, snapshotOf } from "../account/market-snapshot.js";
import { MstressError } from "../errors/mstress-error.js";
import { Ledger } from "../ledger/ledger.js";
import { money } from "../ledger/money.js";
import { maintenanceMargin } from "../margin/maintenance-margin.js";
import type { MarginMode } from "../margin/margin-mode.js";
import type { MaintenanceBracket } from "../venue/maintenance-bracket.js";
import { perpetualTerms, type TermsOverrides } from "../venue/perpetual-terms.js";
import type { VenueProfile } from "../venue/venue-profile.js";
import { distanceToLiquidation, liquidationPrice, type Side } from "./liquidation-price.js";
import { liquidationFactors } from "./price-factor-solver.js";

export interface CalculatorPosition {
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly entryPrice: number;
  /** Current mark; defaults to the entry price. */
  readonly markPrice?: number;
}

export interface CalculatorInput {
  readonly venue: VenueProfile;
  readonly mode: MarginMode;
  readonly position: CalculatorPosition;
  /** Further positions in the same (cross or portfolio) account. */
  readonly otherPositions?: readonly CalculatorPosition[];
  /** Isolated allocation backing the position. */
  readonly isolatedMargin?: number;
  /** Cross / portfolio wallet balance. */
  readonly walletBalance?: number;
  /** Spot quantity of the position's base asset held as portfolio collateral. */
  readonly spotQuantity?: number;
  readonly overrides?: TermsOverrides;
}

export interface CalculatorResult {
  readonly liquidationPrice: number | null;
  readonly bankruptcyPrice: number | null;
  /** Maintenance margin of the position at its current mark. */
  readonly maintenanceMargin: number;
  /** |liquidation - mark| / mark in percent; null when nothing liquidates. */
  readonly distancePct: number | null;
  readonly bracket: MaintenanceBracket;
  /** closed-form for an isolated or single-position cross account; numeric (one price factor) otherwise. */
  readonly method: "closed-form" | "numeric";
  /** Equity backing the position(s) at the current marks: the allocation (isolated) or the account's equity. */
  readonly equityAtMark: number;
  /** Maintenance margin of everything that equity backs, at the current marks. */
  readonly maintenanceAtMark: number;
  /**
   * True when the marks are already at or past the liquidation price: the account as given is below maintenance
   * and a venue would liquidate it now, so a liquidation price "0 % away" would mislead.
   */
  readonly belowMaintenance: boolean;
}

/**
 * The liquidation calculator venues offer, for one or more positions in one account. A multi-position or
 * portfolio account is solved numerically with every price moving by the same factor.
 */
export function calculateLiquidation(input: CalculatorInput): CalculatorResult {
  const { venue, mode, position } = input;
  if (mode === "portfolio" && venue.portfolio === undefined) {
    throw new MstressError("E_BAD_INPUT", `--mode: portfolio is not offered by venue ${venue.name} (its profile has no portfolio block); expected isolated or cross`);
  }
  const others = input.otherPositions ?? [];
  const terms = perpetualTerms(venue, position.symbol, input.overrides);
  const mark = position.markPrice ?? position.entryPrice;
  // Beyond the last bracket's cap the venue takes no position at all, and the bracket formulas stop meaning anything.
  const cap = terms.brackets[terms.brackets.length - 1]?.cap ?? Number.POSITIVE_INFINITY;
  const notional = position.quantity * Math.max(position.entryPrice, mark);
  if (notional > cap) {
    throw new MstressError("E_BAD_INPUT", `--qty: a position of ${position.quantity} ${terms.base} is worth ${notional.toPrecision(6)} at ${Math.max(position.entryPrice, mark)}, beyond the ${cap} cap of ${venue.name}'s last ${position.symbol} bracket; expected at most ${(cap / Math.max(position.entryPrice, mark)).toPrecision(6)}`);
  }
  const current = maintenanceMargin(terms, position.quantity, mark, position.entryPrice);
  const percent = (fraction: number | null): number | null => (fraction === null ? null : fraction * 100);

  if (mode === "isolated" || (mode === "cross" && others.length === 0)) {
    if (mode === "isolated" && others.length > 0) {
      throw new MstressError("E_BAD_INPUT", "--position: isolated positions do not share margin; calculate each on its own");
    }
    const collateral = mode === "isolated" ? input.isolatedMargin : input.walletBalance;
    if (collateral === undefined) {
      throw new MstressError("E_BAD_INPUT", mode === "isolated" ? "--margin: expected the isolated allocation (a positive amount)" : "--balance: expected the cross wallet balance (a positive amount)");
    }
    const result = liquidationPrice({ terms, side: position.side, quantity: position.quantity, entryPrice: position.entryPrice, collateral });
    const liquidation = result.liquidationPrice;
    return {
      ...result,
      maintenanceMargin: current.maintenanceMargin,
      distancePct: percent(distanceToLiquidation(liquidation, mark, position.side)),
      method: "closed-form",
      equityAtMark: collateral + position.side * position.quantity * (mark - position.entryPrice),
      maintenanceAtMark: current.maintenanceMargin,
      belowMaintenance: liquidation !== null && (position.side === -1 ? mark >= liquidation : mark <= liquidation),
    };
  }

  if (input.walletBalance === undefined) throw new MstressError("E_BAD_INPUT", "--balance: expected the account's wallet balance (a non-negative amount)");
  const account = new Account("calculator", venue, mode, new Ledger());
  account.deposit(0, money(input.walletBalance));
  const index = new Map<string, number>();
  [position, ...others].forEach((p, i) => {
    const pTerms = i === 0 ? terms : perpetualTerms(venue, p.symbol, input.overrides);
    const pMark = p.markPrice ?? p.entryPrice;
    const known = index.get(pTerms.base);
    if (known !== undefined && known !== pMark) {
      throw new MstressError("E_BAD_INPUT", `--position: two marks given for ${pTerms.base} (${known} and ${pMark}); positions on one asset share its mark`);
    }
    index.set(pTerms.base, pMark);
    account.openPerpetual(0, { leg: `position-${i + 1}`, route: "calculator", terms: pTerms, side: p.side, quantity: money(p.quantity) }, p.entryPrice, false);
  });
  if (input.spotQuantity !== undefined && input.spotQuantity > 0) {
    account.holdSpot({ leg: "spot", route: "calculator", asset: terms.base, side: 1, quantity: money(input.spotQuantity) }, mark);
  }
  const market = snapshotOf(index);
  const roots = liquidationFactors((factor) => marginSurplus(account, scaledSnapshot(market, factor)));
  const bankrupt = liquidationFactors((factor) => accountEquity(account, scaledSnapshot(market, factor)));
  // The account liquidates at whichever root the price reaches first: the nearer one, whatever the first
  // position's side (a small short next to a large long is liquidated on the way down).
  const nearer = (r: { up: number | null; down: number | null }): number | null =>
    r.up === null ? r.down : r.down === null ? r.up : r.up - 1 <= 1 - r.down ? r.up : r.down;
  const liquidationFactor = nearer(roots);
  const bankruptcyFactor = liquidationFactor === null ? null : liquidationFactor >= 1 ? bankrupt.up : bankrupt.down;
  const liquidation = liquidationFactor === null ? null : mark * liquidationFactor;
  const equityAtMark = accountEquity(account, market);
  const surplusAtMark = marginSurplus(account, market);
  return {
    liquidationPrice: liquidation,
    bankruptcyPrice: bankruptcyFactor === null ? null : mark * bankruptcyFactor,
    maintenanceMargin: current.maintenanceMargin,
    distancePct: liquidationFactor === null ? null : Math.abs(liquidationFactor - 1) * 100,
    bracket: liquidation === null ? current.bracket : maintenanceMargin(terms, position.quantity, liquidation, position.entryPrice).bracket,
    method: "numeric",
    equityAtMark,
    maintenanceAtMark: equityAtMark - surplusAtMark,
    belowMaintenance: surplusAtMark <= 0,
  };
}
