import { fundingPayment, settledFundingRate, type Account, type FundingPayment, type PerpetualTerms } from "@mstress/core/engine";
import type { Decimal } from "decimal.js";
import { fundingAtCap, fundingAtFloor } from "../models/market-model.js";
import type { MarketPath } from "../models/market-path.js";
import type { PathMarket } from "./path-market.js";
import type { EvaluationPlan } from "./evaluation-plan.js";

/**
 * Funding on a path, settled into each mode's accounts. The rate of a leg at a settlement is the same in every
 * mode (same leg, same path), and so is the payment while the position's quantity is: both are computed once per
 * path, leg and settlement, the payment with its amount in units of 1e-8 (`fundingPayment`, exact integer
 * arithmetic), and booked into each mode's ledger by those units (its decimal made only if something reads it).
 */
export class FundingSettlement {
  readonly #plan: EvaluationPlan;
  readonly #path: MarketPath;
  readonly #market: PathMarket;
  /** By (step, leg): the rate, the payment and the quantity it was computed for. A slot is the current path's when its stamp is. */
  readonly #rate: Float64Array;
  readonly #payment: (FundingPayment | undefined)[];
  readonly #quantity: (Decimal | undefined)[];
  readonly #stamp: Float64Array;
  #pathStamp = 0;
  /** Each leg's rate at its last settlement (per interval, as settled), for the exit policies; NaN before any. */
  readonly lastRate: Float64Array;

  constructor(plan: EvaluationPlan, path: MarketPath, market: PathMarket) {
    this.#plan = plan;
    this.#path = path;
    this.#market = market;
    this.lastRate = new Float64Array(plan.scenario.legs.length);
    const slots = (plan.grid.steps + 1) * plan.scenario.legs.length;
    this.#rate = new Float64Array(slots);
    this.#payment = new Array<FundingPayment | undefined>(slots).fill(undefined);
    this.#quantity = new Array<Decimal | undefined>(slots).fill(undefined);
    this.#stamp = new Float64Array(slots);
  }

  /** A new path: every cached rate and payment is stale (cheaper than clearing the slots). */
  startPath(): void {
    this.#pathStamp++;
  }

  /** A new evaluation of the path: no leg has settled yet. */
  startEvaluation(): void {
    this.lastRate.fill(Number.NaN);
  }

  /**
   * Settles funding due at step s on the account's positions, at the market's current marks; returns whether
   * anything was booked.
   */
  settle(account: Account, s: number, t: number): boolean {
    const plan = this.#plan;
    let booked = false;
    for (const position of account.positions) {
      const leg = plan.legIndex.get(position.leg) ?? -1;
      const slot = s * plan.scenario.legs.length + leg;
      if (plan.fundingDue[slot] !== 1) continue;
      if (this.#stamp[slot] !== this.#pathStamp) {
        this.#stamp[slot] = this.#pathStamp;
        this.#rate[slot] = this.#rateAt(position.terms, s, leg, plan.fundingFrom[slot] ?? 0);
        this.#payment[slot] = undefined;
      }
      const rate = this.#rate[slot] ?? 0;
      this.lastRate[leg] = rate;
      let payment = this.#payment[slot];
      const quantity = this.#quantity[slot];
      // Positions copied from a template share their quantity's decimal, so identity settles most comparisons.
      if (payment === undefined || quantity === undefined || (quantity !== position.quantity && !quantity.equals(position.quantity))) {
        payment = fundingPayment(position, this.#market.markPrice(position.terms), rate);
        this.#payment[slot] = payment;
        this.#quantity[slot] = position.quantity;
      }
      account.bookFundingPayment(t, position, payment, rate);
      booked = true;
    }
    return booked;
  }

  /**
   * The settled rate of leg `leg` at step s. The rate per 8 h is the model's OU state, plus the venue's offset,
   * plus the coupling times the log return over the funding interval just ended, unless a stress overlay holds it;
   * an N-hour venue pays rate * N / 8, then its cap, quantised to 1e-8.
   */
  #rateAt(terms: PerpetualTerms, s: number, leg: number, from: number): number {
    const model = this.#plan.grid;
    const n = model.assets.length;
    const a = this.#plan.legAsset[leg] ?? 0;
    const held = model.stressFunding[(s - 1) * n + a] ?? Number.NaN;
    let rate: number;
    if (held === fundingAtFloor) rate = terms.fundingFloor;
    else if (held === fundingAtCap) rate = terms.fundingCap;
    else {
      const perEightHours = Number.isNaN(held)
        ? (this.#path.fundingState[s * n + a] ?? 0) +
          (model.fundingVenueOffset[a]?.get(terms.venue) ?? 0) +
          (model.fundingCoupling[a] ?? 0) * Math.log((this.#path.index[s * n + a] ?? 1) / (this.#path.index[from * n + a] ?? 1))
        : held;
      rate = (perEightHours * terms.fundingIntervalHours) / 8;
    }
    return settledFundingRate(terms, rate);
  }
}
