import { effectiveMaintenanceRate, maintenanceMargin } from "../margin/maintenance-margin.js";
import type { MaintenanceBracket } from "../venue/maintenance-bracket.js";
import type { PerpetualTerms } from "../venue/perpetual-terms.js";

/** +1 long, -1 short. */
export type Side = 1 | -1;

export interface SinglePositionInput {
  readonly terms: PerpetualTerms;
  readonly side: Side;
  readonly quantity: number;
  readonly entryPrice: number;
  /**
   * The collateral backing the position: the isolated allocation, or the cross wallet balance. Binance's cross
   * form also takes the other positions' maintenance (TMM1) and unrealised PnL (UPNL1) as constants.
   */
  readonly collateral: number;
  readonly otherMaintenanceMargin?: number;
  readonly otherUnrealisedPnl?: number;
}

export interface LiquidationPriceResult {
  /** Mark price at which equity meets maintenance; null when no positive price liquidates. */
  readonly liquidationPrice: number | null;
  /** Price at which the collateral backing the position is exactly zero; null when none is positive. */
  readonly bankruptcyPrice: number | null;
  /** The bracket the position sits in at the liquidation price (at entry when there is none). */
  readonly bracket: MaintenanceBracket;
}

/**
 * Closed-form liquidation price of one position, for isolated margin and for a single-position cross account.
 *
 * Trigger: `C + side*Q*(P - EP) = MM(P)` with C the effective collateral. Under mark-based conventions
 * `MM(P) = Q*P*r_b - a_b` inside bracket b, so `P_b = (C - side*Q*EP + a_b) / (Q*r_b - side*Q)` — Binance's
 * one-way formula (docs/venues.md §1.2). A candidate counts only if its notional lands in bracket b: the bracket
 * re-check rule of Binance's FAQ. Where MM steps at a tier edge (OKX, no deduction) the trigger can be met at
 * the edge itself; that edge is the answer. Under Bybit's entry-value convention MM is fixed by the entry, so
 * `P = EP - (C - MM)/(side*Q)` (docs/venues.md §2.1).
 */
export function liquidationPrice(input: SinglePositionInput): LiquidationPriceResult {
  const { terms, side, quantity, entryPrice } = input;
  // Other positions' unrealised PnL is equity; their maintenance is only part of the trigger, so bankruptcy
  // (equity exactly zero) leaves it out.
  const equityBacking = input.collateral + (input.otherUnrealisedPnl ?? 0);
  const collateral = equityBacking - (input.otherMaintenanceMargin ?? 0);
  const bankruptcy = entryPrice - equityBacking / (side * quantity);
  const bankruptcyPrice = bankruptcy > 0 ? bankruptcy : null;

  if (terms.convention === "entry-value") {
    const { maintenanceMargin: fixedMaintenance, bracket } = maintenanceMargin(terms, quantity, entryPrice, entryPrice);
    const price = entryPrice - (collateral - fixedMaintenance) / (side * quantity);
    return { liquidationPrice: price > 0 ? price : null, bankruptcyPrice, bracket };
  }
  const candidate = chosenCandidate(terms, side, quantity, entryPrice, collateral);
  if (candidate < 0) {
    return { liquidationPrice: null, bankruptcyPrice, bracket: maintenanceMargin(terms, quantity, entryPrice, entryPrice).bracket };
  }
  const bracket = terms.brackets[(candidate >> 1) + (candidate & 1)];
  if (bracket === undefined) throw new Error("liquidation price: the chosen bracket is missing");
  return { liquidationPrice: candidatePrice(terms, side, quantity, entryPrice, collateral, candidate), bankruptcyPrice, bracket };
}

/**
 * `liquidationPrice(...).liquidationPrice` of a position backed by `collateral` alone (NaN when no positive price
 * liquidates it), the same float, without the input and result objects: the Monte Carlo's screens call it after
 * every booking of every path.
 */
export function liquidationPriceValue(terms: PerpetualTerms, side: Side, quantity: number, entryPrice: number, collateral: number): number {
  // As liquidationPrice with no other positions: collateral + 0 - 0 is the same float.
  if (terms.convention === "entry-value") {
    const fixedMaintenance = maintenanceMargin(terms, quantity, entryPrice, entryPrice).maintenanceMargin;
    const price = entryPrice - (collateral - fixedMaintenance) / (side * quantity);
    return price > 0 ? price : Number.NaN;
  }
  const candidate = chosenCandidate(terms, side, quantity, entryPrice, collateral);
  return candidate < 0 ? Number.NaN : candidatePrice(terms, side, quantity, entryPrice, collateral, candidate);
}

/**
 * Which candidate `liquidationPriceValue` takes for these inputs (see `chosenCandidate`; -1: none, or Bybit's
 * entry-value convention), for `liquidationPriceAfter`.
 */
export function liquidationCandidate(terms: PerpetualTerms, side: Side, quantity: number, entryPrice: number, collateral: number): number {
  return terms.convention === "entry-value" ? -1 : chosenCandidate(terms, side, quantity, entryPrice, collateral);
}

/** The price of a candidate `liquidationCandidate` returned (not -1) for the same inputs: `liquidationPriceValue`'s float. */
export function liquidationCandidatePrice(terms: PerpetualTerms, side: Side, quantity: number, entryPrice: number, collateral: number, candidate: number): number {
  return candidatePrice(terms, side, quantity, entryPrice, collateral, candidate);
}

/**
 * `liquidationPriceValue` at a new collateral without the search, when it can be told: a short whose candidate
 * was a bracket's own root (`liquidationCandidate`), on a bracket table whose maintenance is continuous at every
 * edge (each amount the previous plus the cap times the rate step, as Binance's), and whose root at the new
 * collateral lands inside that bracket, more than a relative 1e-9 from its floor and cap. A short's surplus falls
 * strictly with the mark, so that root is its only crossing; with continuous maintenance every other piece's
 * root is either a second crossing or at least 1e-9 from its own bracket, far past the search's 1e-12 slack; so
 * no other candidate is valid and the search would return the same float. NaN otherwise.
 */
export function liquidationPriceAfter(terms: PerpetualTerms, side: Side, quantity: number, entryPrice: number, collateral: number, candidate: number): number {
  if (side !== -1 || candidate < 0 || (candidate & 1) === 1 || terms.convention === "entry-value" || !continuousMaintenance(terms.brackets)) return Number.NaN;
  const bracket = terms.brackets[candidate >> 1];
  if (bracket === undefined) return Number.NaN;
  const price = candidatePrice(terms, side, quantity, entryPrice, collateral, candidate);
  const notional = quantity * price;
  const isLast = (candidate >> 1) === terms.brackets.length - 1;
  if (!(price > 0 && notional > bracket.floor * (1 + 1e-9) + 1e-9 && (isLast || notional < bracket.cap * (1 - 1e-9)))) return Number.NaN;
  return price;
}

/**
 * The liquidation among the brackets' candidates under a mark-based convention, as 2 x bracket index, plus 1 for
 * that bracket's upper edge (-1: none). Candidates in bracket order (each bracket's own root, then its upper edge
 * when the trigger is met there); a short is liquidated on the way up (the lowest trigger), a long on the way down
 * (the highest); the first of equal candidates is kept. Loops and locals rather than arrays and closures.
 */
function chosenCandidate(terms: PerpetualTerms, side: Side, quantity: number, entryPrice: number, collateral: number): number {
  let chosenPrice = Number.NaN;
  let chosen = -1;
  const brackets = terms.brackets;
  const ascending = floorsAscend(brackets);
  let rate = brackets[0] === undefined ? 0 : effectiveMaintenanceRate(terms, brackets[0]);
  for (let index = 0; index < brackets.length; index++) {
    const bracket = brackets[index];
    if (bracket === undefined) continue;
    const denominator = quantity * rate - side * quantity;
    if (denominator !== 0) {
      const price = (collateral - side * quantity * entryPrice + bracket.maintenanceAmount) / denominator;
      // Relative slack so a root exactly on an edge is not lost to rounding; the last bracket has no cap (as in
      // bracketForNotional, a notional past the last cap stays in the last bracket).
      const notional = quantity * price;
      const slack = 1e-12 * Math.max(1, notional);
      const isLast = index === brackets.length - 1;
      if (price > 0 && notional >= bracket.floor - slack && (isLast || notional <= bracket.cap + slack)) {
        if (chosen < 0 || (side === -1 ? price < chosenPrice : price > chosenPrice)) {
          chosenPrice = price;
          chosen = 2 * index;
        }
      }
    }
    const next = brackets[index + 1];
    if (next === undefined) break;
    const nextRate = effectiveMaintenanceRate(terms, next);
    const edgePrice = bracket.cap / quantity;
    if (Math.sign(pieceSurplus(side, quantity, entryPrice, collateral, edgePrice, rate, bracket.maintenanceAmount)) !== Math.sign(pieceSurplus(side, quantity, entryPrice, collateral, edgePrice, nextRate, next.maintenanceAmount))) {
      if (chosen < 0 || (side === -1 ? edgePrice < chosenPrice : edgePrice > chosenPrice)) {
        chosenPrice = edgePrice;
        chosen = 2 * index + 1;
      }
    }
    // A short takes the lowest candidate. With floors in ascending order, every later candidate (a root, its
    // notional at least a floor less the slack, or an edge, at a cap above its floor) is at least the next
    // floor's price less a relative 1e-9, far wider than the slack: past the chosen one, none is strictly lower.
    if (side === -1 && chosen >= 0 && ascending && chosenPrice < ((next.floor - 1) * (1 - 1e-9)) / quantity) break;
    rate = nextRate;
  }
  return chosen;
}

/** Whether each bracket's floor is at least the one before and its cap at least its floor (cached per bracket list). */
function floorsAscend(brackets: readonly MaintenanceBracket[]): boolean {
  let known = ascendingFloors.get(brackets);
  if (known === undefined) {
    known = brackets.every((bracket, i) => bracket.cap >= bracket.floor && (i === 0 || bracket.floor >= (brackets[i - 1]?.floor ?? 0)));
    ascendingFloors.set(brackets, known);
  }
  return known;
}

const ascendingFloors = new WeakMap<readonly MaintenanceBracket[], boolean>();

/**
 * Whether maintenance (notional x rate - amount) is continuous at every edge of the table: the next amount is the
 * previous plus the cap times the rate step, to float precision (cached per bracket list). A taker fee added to
 * every rate changes no step.
 */
function continuousMaintenance(brackets: readonly MaintenanceBracket[]): boolean {
  let known = continuousTables.get(brackets);
  if (known === undefined) {
    known = brackets.every((bracket, i) => {
      const previous = brackets[i - 1];
      if (previous === undefined) return true;
      const step = previous.cap * (bracket.maintenanceRate - previous.maintenanceRate) - (bracket.maintenanceAmount - previous.maintenanceAmount);
      return Math.abs(step) <= 1e-9 * Math.max(1, previous.cap * bracket.maintenanceRate);
    });
    continuousTables.set(brackets, known);
  }
  return known;
}

const continuousTables = new WeakMap<readonly MaintenanceBracket[], boolean>();

/** The price of a candidate of `chosenCandidate`: bracket b's root `(C - side*Q*EP + a_b) / (Q*r_b - side*Q)`, or its upper edge. */
function candidatePrice(terms: PerpetualTerms, side: Side, quantity: number, entryPrice: number, collateral: number, candidate: number): number {
  const bracket = terms.brackets[candidate >> 1];
  if (bracket === undefined) return Number.NaN;
  if ((candidate & 1) === 1) return bracket.cap / quantity;
  const denominator = quantity * effectiveMaintenanceRate(terms, bracket) - side * quantity;
  return (collateral - side * quantity * entryPrice + bracket.maintenanceAmount) / denominator;
}

/** Margin left over maintenance at price P on one bracket's linear piece (its rate and amount; positive = alive). */
function pieceSurplus(side: Side, quantity: number, entryPrice: number, collateral: number, price: number, rate: number, maintenanceAmount: number): number {
  return collateral + side * quantity * (price - entryPrice) - (quantity * price * rate - maintenanceAmount);
}

/**
 * Distance to liquidation as a fraction of the mark: |liq - mark| / mark (docs/domain.md glossary), on the adverse
 * side only: a short whose mark is already at or above its liquidation price (a long at or below) is at 0.
 */
export function distanceToLiquidation(liquidation: number | null, markPrice: number, side: Side): number | null {
  if (liquidation === null) return null;
  return Math.max(0, (side === -1 ? liquidation - markPrice : markPrice - liquidation) / markPrice);
}
