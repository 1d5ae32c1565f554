import { fundingPayment, settledFundingRate, type Account, type FundingPayment, type PerpetualTerms } from "@mstress/core/engine";
import type { Decimal } from "decimal.js";
import { fundingAtCap, fundingAtFloor } from "../models/market-model.js";
import type { MarketPath } from "../models/market-path.js";
import type { PathMarket } from "./path-market.js";
import type { SimulationPlan } from "./simulation-plan.js";

/**
 * Funding on a path, settled into each mode's accounts. The rate of a leg at a settlement is the same in every
 * mode (same leg, same path), and so is the payment while the position's quantity is: both are computed once per
 * path, leg and settlement, the payment with its amount in units of 1e-8 (`fundingPayment`, exact integer
 * arithmetic), and booked into each mode's ledger by those units (its decimal made only if something reads it).
 */
export class FundingSettlement {
  readonly #plan: SimulationPlan;
  readonly #path: MarketPath;
  readonly #market: PathMarket;
  /** By (step, leg): the rate, the payment and the quantity it was computed for. A slot is the current path's when its stamp is. */
  readonly #rate: Float64Array;
  readonly #payment: (FundingPayment | undefined)[];
  readonly #quantity: (Decimal | undefined)[];
  readonly #stamp: Float64Array;
  #pathStamp = 0;

  constructor(plan: SimulationPlan, path: MarketPath, market: PathMarket) {
    this.#plan = plan;
    this.#path = path;
    this.#market = market;
    const slots = (plan.market.steps + 1) * plan.scenario.legs.length;
    this.#rate = new Float64Array(slots);
    this.#payment = new Array<FundingPayment | undefined>(slots).fill(undefined);
    this.#quantity = new Array<Decimal | undefined>(slots).fill(undefined);
    this.#stamp = new Float64Array(slots);
  }

  /** A new path: every cached rate and payment is stale (cheaper than clearing the slots). */
  startPath(): void {
    this.#pathStamp++;
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
      const every = plan.fundingEverySteps[leg] ?? 0;
      if (every === 0 || s % every !== 0) continue;
      const slot = s * plan.scenario.legs.length + leg;
      if (this.#stamp[slot] !== this.#pathStamp) {
        this.#stamp[slot] = this.#pathStamp;
        this.#rate[slot] = this.#rateAt(position.terms, s, leg, every);
        this.#payment[slot] = undefined;
      }
      const rate = this.#rate[slot] ?? 0;
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
  #rateAt(terms: PerpetualTerms, s: number, leg: number, every: number): number {
    const model = this.#plan.market;
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
          (model.fundingCoupling[a] ?? 0) * Math.log((this.#path.index[s * n + a] ?? 1) / (this.#path.index[(s - every) * n + a] ?? 1))
        : held;
      rate = (perEightHours * terms.fundingIntervalHours) / 8;
    }
    return settledFundingRate(terms, rate);
  }
}
