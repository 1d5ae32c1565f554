import type { MarketPath } from "../models/market-path.js";
import type { UniformStream } from "../rng/path-stream.js";
import type { EvaluationPlan } from "./evaluation-plan.js";

/**
 * A path's stochastic ADL events (market.adl): the steps at whose end an asset's move passed the threshold, and
 * for each perp leg on that asset a uniform that decides, in every evaluation alike, whether the venue closes it
 * (u < probability, if it is in profit then). Drawn once per path, before the evaluations, from the path's own
 * ADL stream: common random numbers across modes and policies.
 */
export class AdlDraws {
  step = new Int32Array(16);
  leg = new Int32Array(16);
  uniform = new Float64Array(16);
  count = 0;
  readonly #armed: Uint8Array;

  constructor(assets: number) {
    this.#armed = new Uint8Array(assets);
  }

  /**
   * The move of an asset at the end of step s is the largest of (highest high / start - 1) and (1 - lowest low /
   * start) over the last `withinSteps` steps, start being the index where that window began. An episode begins
   * when it passes `move` and ends when it falls back to or under it.
   */
  draw(plan: EvaluationPlan, path: MarketPath, stream: UniformStream): void {
    this.count = 0;
    const model = plan.adlModel;
    if (model === null) return;
    const n = plan.grid.assets.length;
    this.#armed.fill(1);
    for (let s = 1; s <= plan.grid.steps; s++) {
      const from = Math.max(0, s - model.withinSteps);
      for (let a = 0; a < n; a++) {
        const start = path.index[from * n + a] ?? 0;
        let high = 0;
        let low = Number.POSITIVE_INFINITY;
        for (let k = from + 1; k <= s; k++) {
          high = Math.max(high, path.indexHigh[(k - 1) * n + a] ?? 0);
          low = Math.min(low, path.indexLow[(k - 1) * n + a] ?? 0);
        }
        const move = Math.max(high / start - 1, 1 - low / start);
        if (move <= model.move) {
          this.#armed[a] = 1;
          continue;
        }
        if (this.#armed[a] === 0) continue;
        this.#armed[a] = 0;
        for (let l = 0; l < plan.legAsset.length; l++) {
          if (plan.terms[l] == null || plan.legAsset[l] !== a) continue;
          this.#push(s, l, stream.next());
        }
      }
    }
  }

  #push(step: number, leg: number, uniform: number): void {
    if (this.count === this.step.length) {
      const grow = <T extends Int32Array | Float64Array>(array: T, make: (n: number) => T): T => {
        const bigger = make(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.step = grow(this.step, (k) => new Int32Array(k));
      this.leg = grow(this.leg, (k) => new Int32Array(k));
      this.uniform = grow(this.uniform, (k) => new Float64Array(k));
    }
    this.step[this.count] = step;
    this.leg[this.count] = leg;
    this.uniform[this.count] = uniform;
    this.count++;
  }
}
