import type { Scenario } from "@mstress/core";
import { refineBridgePiece } from "../models/bridge-refinement.js";
import type { MarketPath, StepBridges } from "../models/market-path.js";
import { AleaStream, refinementKey } from "../rng/path-stream.js";
import { evenTimes, type PathGrid } from "./path-grid.js";

/**
 * One step of a generated path drawn finer, into sub-steps of `subStepSeconds`, given what the step drew: per
 * asset, its endpoints, its pieces between jumps and each piece's maximum (models/bridge-refinement.ts), the basis
 * linear between the step's ends as on the coarse step. The policies' delays are timed on it: a step much longer
 * than a delay, walked along the straight way to its worst corner, would put the money's arrival too close to the
 * trigger in price, so a policy with something in flight is evaluated on the sub-steps of every step where it
 * acts (route-evaluator.ts), and the step stays as coarse as the rest of the model allows.
 *
 * The sub-steps' boxes lie inside the step's box, so an account the step's box clears is clear on every sub-step,
 * and the evaluations that did not need the finer path read the same path as those that did. The side each asset
 * honours exactly is the one its perps' liquidations lie on (the high for a net short, the low for a net long);
 * the other extreme is a bound, not reached unless the draws reach it (the generator draws the two independently,
 * docs/methodology.md "Exact extremes"). Drawn from a stream keyed by (seed, path, step), so every evaluation that
 * asks for a step gets the same sub-steps, in whatever order they ask and on whatever worker.
 */
export class StepRefinement {
  readonly subSteps: number;
  readonly subStepSeconds: number;
  /** The refined step as a path of `subSteps` steps on a grid of its own (the evaluator keeps its boxes). */
  readonly path: MarketPath;
  readonly grid: PathGrid;
  readonly #coarse: MarketPath;
  readonly #bridges: StepBridges;
  readonly #assets: number;
  /** Per asset: 1 when its maximum is honoured exactly, -1 its minimum. */
  readonly #side: Int8Array;
  /** A refined step draws about four uniforms a sub-step: a smaller batch than a path's wastes fewer at each reseed. */
  readonly #stream = new AleaStream(64);
  #seed = "";
  #pathIndex = 0;
  /** The step refined last on this path (0: none yet). */
  #refined = 0;
  // Scratch for one piece: its inner sub-step times (fractions of the piece), its values and segments' extremes.
  readonly #at: Float64Array;
  readonly #values: Float64Array;
  readonly #highs: Float64Array;
  readonly #lows: Float64Array;

  constructor(grid: PathGrid, coarse: MarketPath, scenario: Scenario, legAsset: Int32Array, subStepSeconds: number) {
    const stepSeconds = (grid.times[1] ?? 0) - (grid.times[0] ?? 0);
    if (coarse.bridges === undefined) throw new Error("StepRefinement: the path does not keep its bridges");
    this.#bridges = coarse.bridges;
    this.#coarse = coarse;
    this.subSteps = Math.max(1, Math.round(stepSeconds / subStepSeconds));
    this.subStepSeconds = stepSeconds / this.subSteps;
    const n = grid.assets.length;
    this.#assets = n;
    const k = this.subSteps;
    this.path = {
      index: new Float64Array((k + 1) * n),
      indexHigh: new Float64Array(k * n),
      indexLow: new Float64Array(k * n),
      basis: new Float64Array((k + 1) * n),
      fundingState: new Float64Array((k + 1) * n),
      stressed: new Uint8Array(k),
    };
    this.grid = { ...grid, steps: k, times: evenTimes(k, this.subStepSeconds), horizonSeconds: stepSeconds, withinStep: "box" };
    this.#side = perpSides(scenario, legAsset, n);
    this.#at = new Float64Array(k);
    this.#values = new Float64Array(k);
    this.#highs = new Float64Array(k + 1);
    this.#lows = new Float64Array(k + 1);
  }

  /** A new path: its steps are refined from its own streams. */
  startPath(seed: string, pathIndex: number): void {
    this.#seed = seed;
    this.#pathIndex = pathIndex;
    this.#refined = 0;
  }

  /** Fills `path` with step s of the coarse path drawn finer; false when it already held it. */
  refine(s: number): boolean {
    if (this.#refined === s) return false;
    this.#refined = s;
    const stream = this.#stream.reseed(refinementKey(this.#seed, this.#pathIndex, s));
    const n = this.#assets;
    const k = this.subSteps;
    const coarse = this.#coarse;
    const pieces = this.#bridges.pieces;
    const { index, indexHigh, indexLow, basis } = this.path;
    for (let a = 0; a < n; a++) {
      const cell = (s - 1) * n + a;
      const startIndex = coarse.index[cell] ?? 0;
      const endIndex = coarse.index[cell + n] ?? 0;
      const high = coarse.indexHigh[cell] ?? 0;
      const low = coarse.indexLow[cell] ?? 0;
      const basis0 = coarse.basis[cell] ?? 0;
      const basis1 = coarse.basis[cell + n] ?? 0;
      for (let j = 0; j < k; j++) {
        indexHigh[j * n + a] = Number.NEGATIVE_INFINITY;
        indexLow[j * n + a] = Number.POSITIVE_INFINITY;
        const u = j / k;
        basis[j * n + a] = j === 0 ? basis0 : Math.min(Math.max(basis0 + (basis1 - basis0) * u, Math.min(basis0, basis1)), Math.max(basis0, basis1));
      }
      index[a] = startIndex;
      index[k * n + a] = endIndex;
      basis[k * n + a] = basis1;
      const first = pieces.first[cell] ?? -1;
      if (first < 0) {
        this.#refinePiece(a, 0, 1, Math.log(startIndex), Math.log(endIndex), Math.log(high), Math.log(low), this.#bridges.variance[cell] ?? 0, high, low, high, low, stream);
      } else {
        const count = pieces.count[cell] ?? 0;
        for (let p = first; p < first + count; p++) {
          const pieceHigh = pieces.high[p] ?? 0;
          const pieceLow = pieces.low[p] ?? 0;
          // exp of the piece's log extreme is the step's own extreme, to the bit, when the piece holds it.
          this.#refinePiece(a, pieces.start[p] ?? 0, pieces.end[p] ?? 1, pieces.levelStart[p] ?? 0, pieces.levelEnd[p] ?? 0, pieceHigh, pieceLow, pieces.variance[p] ?? 0, Math.exp(pieceHigh), Math.exp(pieceLow), high, low, stream);
        }
      }
    }
    return true;
  }

  /**
   * Refines one piece of asset a's step, from fraction t0 to t1 of the step, into the sub-steps it spans: the
   * values at the sub-step ends inside it, and each sub-step's extremes over the part of the piece it holds. The
   * piece's extremes are given in log (`pieceHigh`, `pieceLow`) and in price; the results stay inside the step's
   * [low, high], in price.
   */
  #refinePiece(a: number, t0: number, t1: number, y0: number, y1: number, pieceHigh: number, pieceLow: number, variance: number, pieceHighPrice: number, pieceLowPrice: number, high: number, low: number, stream: AleaStream): void {
    const n = this.#assets;
    const k = this.subSteps;
    const at = this.#at;
    const firstInside = Math.floor(t0 * k) + 1;
    let count = 0;
    for (let j = firstInside; j < k && j / k < t1; j++) at[count++] = (j / k - t0) / (t1 - t0);
    const up = (this.#side[a] ?? 1) > 0;
    // The side honoured exactly is drawn as a maximum: for a minimum, the piece is drawn upside down.
    if (up) refineBridgePiece(y0, y1, pieceHigh, pieceLow, variance, at, count, stream, this.#values, this.#highs, this.#lows);
    else refineBridgePiece(-y0, -y1, -pieceLow, -pieceHigh, variance, at, count, stream, this.#values, this.#highs, this.#lows);
    const sign = up ? 1 : -1;
    const { index, indexHigh, indexLow } = this.path;
    for (let c = 0; c < count; c++) index[(firstInside + c) * n + a] = clamp(Math.exp(sign * (this.#values[c] ?? 0)), low, high);
    for (let c = 0; c <= count; c++) {
      const segmentHigh = up ? (this.#highs[c] ?? 0) : -(this.#lows[c] ?? 0);
      const segmentLow = up ? (this.#lows[c] ?? 0) : -(this.#highs[c] ?? 0);
      const cell = (firstInside - 1 + c) * n + a;
      // The piece's own extreme, in price, where a segment reaches it (exp(log(x)) can miss x by an ulp).
      const upper = clamp(segmentHigh === pieceHigh ? pieceHighPrice : Math.exp(segmentHigh), low, high);
      const lower = clamp(segmentLow === pieceLow ? pieceLowPrice : Math.exp(segmentLow), low, high);
      if (upper > (indexHigh[cell] ?? Number.NEGATIVE_INFINITY)) indexHigh[cell] = upper;
      if (lower < (indexLow[cell] ?? Number.POSITIVE_INFINITY)) indexLow[cell] = lower;
    }
  }
}

function clamp(x: number, low: number, high: number): number {
  return x < low ? low : x > high ? high : x;
}

/** Per asset: 1 when its perps are net short (their liquidations lie above), -1 when net long. */
function perpSides(scenario: Scenario, legAsset: Int32Array, assets: number): Int8Array {
  const net = new Float64Array(assets);
  scenario.legs.forEach((leg, l) => {
    if (leg.type !== "perp") return;
    const a = legAsset[l] ?? -1;
    if (a >= 0) net[a] = (net[a] ?? 0) + (leg.side === "short" ? 1 : -1) * leg.qty;
  });
  return Int8Array.from(net, (q) => (q >= 0 ? 1 : -1));
}
