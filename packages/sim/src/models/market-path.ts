import type { UniformStream } from "../rng/path-stream.js";
import { poissonCount } from "../rng/poisson-count.js";
import { standardNormalQuantile } from "@mstress/core/engine";
import { standardisedStudentT } from "../rng/student-t.js";
import { PriceModelKind, secondsPerYear, type CompiledMarket } from "./market-model.js";

/**
 * One simulated market history, in scratch typed arrays reused from path to path (row-major, step x asset).
 * Step s covers (t_{s-1}, t_s]; `index`, `basis` and `fundingState` hold values at t_0..t_S, `indexHigh` and
 * `indexLow` the index's extremes inside each step (s = 1..S stored at s - 1).
 */
export interface MarketPath {
  readonly index: Float64Array;
  readonly indexHigh: Float64Array;
  readonly indexLow: Float64Array;
  readonly basis: Float64Array;
  /** The funding model's OU state, a rate per 8 h before the return coupling, venue offset and cap. */
  readonly fundingState: Float64Array;
  /** 1 while the regime is stressed during step s (stored at s - 1). */
  readonly stressed: Uint8Array;
  /** What the generator's bridges were drawn with, so a step can be drawn finer afterwards (a generated path only). */
  readonly bridges?: StepBridges | undefined;
}

/** What each step's bridges were drawn with: the variance of its continuous log move, and its pieces between jumps. */
export interface StepBridges {
  /** Per step x asset (s at s - 1). */
  readonly variance: Float64Array;
  readonly pieces: JumpPieces;
}

/**
 * The pieces of the steps with jumps: a jump splits its step at its time, and each piece between jumps is a
 * Brownian bridge with its own endpoints and extremes. Kept so that a step can be drawn finer afterwards, given
 * what it drew (models/bridge-refinement.ts); a step without jumps is one bridge over the whole step.
 */
export class JumpPieces {
  /** Per step x asset (s at s - 1): the index of its first piece, -1 when the step had no jump. */
  readonly first: Int32Array;
  /** Per step x asset: how many pieces (jumps + 1) when it had jumps. */
  readonly count: Int32Array;
  size = 0;
  /** Per piece: its start and end as fractions of the step, its log endpoints (before the jump that ends it), its log extremes and bridge variance. */
  start: Float64Array<ArrayBuffer> = new Float64Array(16);
  end: Float64Array<ArrayBuffer> = new Float64Array(16);
  levelStart = new Float64Array(16);
  levelEnd = new Float64Array(16);
  high = new Float64Array(16);
  low = new Float64Array(16);
  variance = new Float64Array(16);

  constructor(cells: number) {
    this.first = new Int32Array(cells).fill(-1);
    this.count = new Int32Array(cells);
  }

  add(start: number, end: number, levelStart: number, levelEnd: number, high: number, low: number, variance: number): void {
    if (this.size === this.start.length) this.#grow();
    const i = this.size++;
    this.start[i] = start;
    this.end[i] = end;
    this.levelStart[i] = levelStart;
    this.levelEnd[i] = levelEnd;
    this.high[i] = high;
    this.low[i] = low;
    this.variance[i] = variance;
  }

  #grow(): void {
    const grown = (from: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const to = new Float64Array(2 * from.length);
      to.set(from);
      return to;
    };
    this.start = grown(this.start);
    this.end = grown(this.end);
    this.levelStart = grown(this.levelStart);
    this.levelEnd = grown(this.levelEnd);
    this.high = grown(this.high);
    this.low = grown(this.low);
    this.variance = grown(this.variance);
  }
}

/**
 * A path's arrays for `market`. `keepBridges`: the generator also records what each step's bridges were drawn with,
 * for a kernel that draws some steps finer afterwards (policies timed on sub-steps); every other path skips it.
 */
export function allocateMarketPath(market: CompiledMarket, keepBridges = false): MarketPath {
  const n = market.assets.length;
  const points = (market.steps + 1) * n;
  return {
    index: new Float64Array(points),
    indexHigh: new Float64Array(market.steps * n),
    indexLow: new Float64Array(market.steps * n),
    basis: new Float64Array(points),
    fundingState: new Float64Array(points),
    stressed: new Uint8Array(market.steps),
    bridges: keepBridges ? { variance: new Float64Array(market.steps * n), pieces: new JumpPieces(market.steps * n) } : undefined,
  };
}

/** At most this many jumps are resolved within one step (the schema keeps the expected count at most 0.5). */
const maxJumpsPerStep = 8;

/**
 * Scratch for the generator: correlated shocks, GARCH variances, and the jump times and sizes of one step.
 * Allocated once per worker; the generator allocates nothing per path or per step.
 */
export interface PathScratch {
  readonly shock: Float64Array;
  readonly correlated: Float64Array;
  readonly garchVariance: Float64Array;
  readonly jumpTimes: Float64Array;
  readonly jumpSizes: Float64Array;
  /** Per (asset, up/down): the last jump mean per step drawn with and its exp(-mean), which stays put in a regime. */
  readonly jumpMean: Float64Array;
  readonly jumpZero: Float64Array;
}

export function allocatePathScratch(market: CompiledMarket): PathScratch {
  const n = market.assets.length;
  return {
    shock: new Float64Array(n),
    correlated: new Float64Array(n),
    garchVariance: new Float64Array(n),
    jumpTimes: new Float64Array(maxJumpsPerStep),
    jumpSizes: new Float64Array(maxJumpsPerStep),
    jumpMean: new Float64Array(2 * n).fill(Number.NaN),
    jumpZero: new Float64Array(2 * n),
  };
}

/**
 * Fills `path` with one history drawn from `stream` (the path's own seeded stream).
 *
 * Exact extremes: liquidation is a barrier on a continuously traded price, so each step's maximum and minimum
 * are sampled from their exact law given the step's endpoints, not read off the grid. For a Brownian log price
 * with per-step variance v, the maximum of the bridge from x0 to x1 is
 *   M = (x0 + x1 + sqrt((x1 - x0)^2 - 2 v ln U)) / 2,  U ~ Uniform(0, 1)
 * (the inverse of P(M >= m) = exp(-2 (m - x0)(m - x1) / v); Glasserman 2004, §6.4; QuantLib's barrier engine
 * uses the same bridge probability), and the minimum by symmetry. Jumps split a step at their (uniform) times,
 * the continuous part's value at each jump time is drawn from the bridge, and each piece gets its own extremes.
 * A step of an hour then prices the wick of a 1-minute (or continuous) monitor: tested against the closed-form
 * first-passage probability of GBM at a coarse and a fine step (barrier-first-passage.test.ts).
 * The max and the min are drawn independently (their joint law is not a product); a route's account is liquidated
 * on one side, so this matters only for a two-sided corridor narrower than a step's range.
 */
export function generateMarketPath(market: CompiledMarket, stream: UniformStream, path: MarketPath, scratch: PathScratch): void {
  const n = market.assets.length;
  const { index, indexHigh, indexLow, basis, fundingState, stressed } = path;
  const bridges = path.bridges;
  if (bridges !== undefined) bridges.pieces.size = 0;
  const { shock, correlated, garchVariance, jumpTimes, jumpSizes } = scratch;
  const dt = market.stepSeconds / secondsPerYear;
  const regime = market.regime;
  let inStress = false;
  let blockStart = 0;

  for (let a = 0; a < n; a++) {
    index[a] = market.initialIndex[a] ?? 0;
    basis[a] = market.basisInitial[a] ?? 0;
    fundingState[a] = market.fundingInitial[a] ?? 0;
    garchVariance[a] = (market.volatilityPerStep[a] ?? 0) ** 2;
  }

  for (let s = 1; s <= market.steps; s++) {
    if (regime.enabled) {
      const u = stream.next();
      inStress = inStress ? u >= regime.stressToCalmPerStep : u < regime.calmToStressPerStep;
    }
    stressed[s - 1] = inStress ? 1 : 0;
    const volatilityFactor = inStress ? regime.volatilityMultiplier : 1;
    const jumpFactor = inStress ? regime.jumpIntensityMultiplier : 1;
    const bootstrapOffset = (s - 1) % market.bootstrapBlockLength;
    if (bootstrapOffset === 0) blockStart = stream.next();

    for (let a = 0; a < n; a++) {
      shock[a] = market.kind[a] === PriceModelKind.Garch ? standardisedStudentT(stream, market.garchDegreesOfFreedom[a] ?? 5) : standardNormalQuantile(stream.next());
    }
    // Correlated shocks z = L e (L the Cholesky factor); bootstrapped assets have an identity row.
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j <= i; j++) z += (market.cholesky[i * n + j] ?? 0) * (shock[j] ?? 0);
      correlated[i] = z;
    }

    for (let a = 0; a < n; a++) {
      const here = (s - 1) * n + a;
      const x0 = Math.log(index[here] ?? 1);
      let sigma: number;
      let continuous: number;
      switch (market.kind[a]) {
        case PriceModelKind.Garch: {
          const variance = garchVariance[a] ?? 0;
          sigma = Math.sqrt(variance) * volatilityFactor;
          const innovation = sigma * (correlated[a] ?? 0);
          continuous = (market.drift[a] ?? 0) * dt - 0.5 * sigma * sigma + innovation;
          // GARCH(1,1) (Bollerslev 1986): next variance from this step's squared innovation.
          garchVariance[a] = (market.garchOmega[a] ?? 0) + (market.garchAlpha[a] ?? 0) * innovation * innovation + (market.garchBeta[a] ?? 0) * variance;
          break;
        }
        case PriceModelKind.Bootstrap: {
          const returns = market.bootstrapReturns[a] ?? new Float64Array(1);
          const start = Math.floor(blockStart * (returns.length - market.bootstrapBlockLength + 1));
          continuous = returns[start + bootstrapOffset] ?? 0;
          sigma = market.volatilityPerStep[a] ?? 0;
          break;
        }
        default: {
          sigma = (market.volatilityPerStep[a] ?? 0) * volatilityFactor;
          const compensator = (market.jumpCompensatorPerStep[a] ?? 0) * jumpFactor;
          continuous = (market.drift[a] ?? 0) * dt - 0.5 * sigma * sigma - compensator + sigma * (correlated[a] ?? 0);
        }
      }
      continuous += market.stressLogMove[here] ?? 0;

      let jumps = 0;
      if (market.kind[a] === PriceModelKind.Diffusion) {
        jumps = drawJumps(stream, jumps, market, a, 1, jumpFactor, scratch);
        jumps = drawJumps(stream, jumps, market, a, -1, jumpFactor, scratch);
      }
      const variance = sigma * sigma;
      const next = s * n + a;
      if (bridges !== undefined) bridges.variance[here] = variance;
      if (jumps === 0) {
        if (bridges !== undefined) bridges.pieces.first[here] = -1;
        const x1 = x0 + continuous;
        index[next] = Math.exp(x1);
        // bridgeMaximum and bridgeMinimum written out: the same arithmetic, without passing doubles to a call
        // (V8 boxes each double argument of a call it does not inline).
        const d = x1 - x0;
        indexHigh[here] = Math.exp(0.5 * (x0 + x1 + Math.sqrt(d * d - 2 * variance * Math.log(stream.next()))));
        indexLow[here] = Math.exp(0.5 * (x0 + x1 - Math.sqrt(d * d - 2 * variance * Math.log(stream.next()))));
      } else {
        sortJumps(jumps, jumpTimes, jumpSizes);
        if (bridges !== undefined) {
          bridges.pieces.first[here] = bridges.pieces.size;
          bridges.pieces.count[here] = jumps + 1;
        }
        // Walk the pieces between jumps: the continuous part's value at each jump time is drawn from its bridge
        // to the step's end value, then the jump is added.
        let time = 0;
        let level = x0;
        let walked = 0;
        let high = Number.NEGATIVE_INFINITY;
        let low = Number.POSITIVE_INFINITY;
        for (let k = 0; k <= jumps; k++) {
          const until = k < jumps ? (jumpTimes[k] ?? 1) : 1;
          const remaining = 1 - time;
          const fraction = remaining <= 0 ? 1 : (until - time) / remaining;
          const mean = walked + (continuous - walked) * fraction;
          const spread = k < jumps ? Math.sqrt(variance * (until - time) * (1 - until) / Math.max(remaining, 1e-300)) : 0;
          const reached = mean + spread * standardNormalQuantile(stream.next());
          const pieceEnd = level + (reached - walked);
          const pieceVariance = variance * (until - time);
          const pieceHigh = bridgeMaximum(level, pieceEnd, pieceVariance, stream.next());
          const pieceLow = bridgeMinimum(level, pieceEnd, pieceVariance, stream.next());
          bridges?.pieces.add(time, until, level, pieceEnd, pieceHigh, pieceLow, pieceVariance);
          high = Math.max(high, pieceHigh);
          low = Math.min(low, pieceLow);
          walked = reached;
          time = until;
          level = pieceEnd + (k < jumps ? (jumpSizes[k] ?? 0) : 0);
          high = Math.max(high, level);
          low = Math.min(low, level);
        }
        index[next] = Math.exp(level);
        indexHigh[here] = Math.exp(high);
        indexLow[here] = Math.exp(low);
      }

      if (market.hasBasis[a] === 1) {
        const mean = (market.basisMean[a] ?? 0) + (inStress ? regime.basisShift : 0);
        const held = market.stressBasis[here] ?? Number.NaN;
        const drawn = mean + ((basis[here] ?? 0) - mean) * (market.basisDecay[a] ?? 0) + (market.basisInnovation[a] ?? 0) * volatilityFactor * standardNormalQuantile(stream.next());
        basis[next] = Number.isNaN(held) ? drawn : held;
      } else {
        const held = market.stressBasis[here] ?? Number.NaN;
        basis[next] = Number.isNaN(held) ? 0 : held;
      }
      if (market.hasFunding[a] === 1) {
        const mean = market.fundingMean[a] ?? 0;
        fundingState[next] = mean + ((fundingState[here] ?? 0) - mean) * (market.fundingDecay[a] ?? 0) + (market.fundingInnovation[a] ?? 0) * standardNormalQuantile(stream.next());
      } else {
        fundingState[next] = 0;
      }
    }
  }
}

/** Maximum of a Brownian bridge from x0 to x1 with variance v over the piece, by inversion of its law. */
export function bridgeMaximum(x0: number, x1: number, variance: number, u: number): number {
  const d = x1 - x0;
  return 0.5 * (x0 + x1 + Math.sqrt(d * d - 2 * variance * Math.log(u)));
}

export function bridgeMinimum(x0: number, x1: number, variance: number, u: number): number {
  const d = x1 - x0;
  return 0.5 * (x0 + x1 - Math.sqrt(d * d - 2 * variance * Math.log(u)));
}

/** Draws asset a's up (side 1) or down (-1) jumps of one step after the `count` already drawn; returns the total. */
function drawJumps(stream: UniformStream, count: number, market: CompiledMarket, a: number, side: 1 | -1, jumpFactor: number, scratch: PathScratch): number {
  const perStep = ((side === 1 ? market.upJumpsPerStep[a] : market.downJumpsPerStep[a]) ?? 0) * jumpFactor;
  if (perStep <= 0) return count;
  const mean = (side === 1 ? market.upJumpMean[a] : market.downJumpMean[a]) ?? 0;
  const stdDev = (side === 1 ? market.upJumpStdDev[a] : market.downJumpStdDev[a]) ?? 0;
  const leg = side === 1 ? 2 * a : 2 * a + 1;
  const { jumpTimes: times, jumpSizes: sizes, jumpMean, jumpZero } = scratch;
  if (jumpMean[leg] !== perStep) {
    jumpMean[leg] = perStep;
    jumpZero[leg] = Math.exp(-perStep);
  }
  let total = count;
  const drawn = poissonCount(stream.next(), perStep, jumpZero[leg]);
  for (let j = 0; j < drawn; j++) {
    const time = stream.next();
    const size = mean + stdDev * standardNormalQuantile(stream.next());
    if (total < maxJumpsPerStep) {
      times[total] = time;
      sizes[total] = size;
      total++;
    }
  }
  return total;
}

/** Insertion sort of the step's few jumps by time (at most maxJumpsPerStep, usually one). */
function sortJumps(count: number, times: Float64Array, sizes: Float64Array): void {
  for (let i = 1; i < count; i++) {
    const time = times[i] ?? 0;
    const size = sizes[i] ?? 0;
    let j = i - 1;
    while (j >= 0 && (times[j] ?? 0) > time) {
      times[j + 1] = times[j] ?? 0;
      sizes[j + 1] = sizes[j] ?? 0;
      j--;
    }
    times[j + 1] = time;
    sizes[j + 1] = size;
  }
}
