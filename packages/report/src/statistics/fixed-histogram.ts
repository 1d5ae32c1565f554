import type { MergeableReducer } from "./mergeable-reducer.js";

export interface FixedHistogramSpec {
  readonly lower: number;
  readonly upper: number;
  readonly buckets: number;
}

export interface FixedHistogramState {
  readonly spec: FixedHistogramSpec;
  // Slot 0 underflow, slots 1..buckets the buckets, then overflow, then missing (NaN). Integer counts in float64
  // are exact below 2^53, so adding and merging them never rounds.
  readonly counts: Float64Array;
}

export interface FixedHistogramValue {
  readonly lower: number;
  readonly upper: number;
  // buckets + 1 edges; bucket i holds edges[i] <= x < edges[i + 1].
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  readonly underflow: number;
  readonly overflow: number;
  readonly missing: number;
  readonly total: number;
}

/**
 * A histogram with `buckets` equal-width buckets over [lower, upper), an underflow bucket (x < lower, −∞ included),
 * an overflow bucket (x >= upper, +∞ included) and a missing count (NaN, the outcome columns' "not applicable").
 * Because the buckets are fixed in advance and the counts are integers, `merge` is exact, associative and
 * commutative: splitting the paths over workers cannot change the result (the mergeable-summary view of Agarwal et
 * al. 2012, "Mergeable summaries", in its simplest, exact case).
 *
 * Membership is decided against the reported edges themselves (edge i = lower + (upper − lower)·i / buckets, the last
 * edge exactly `upper`): the bucket is first estimated with floor((x − lower)/(upper − lower)·buckets) and then moved
 * by one while it disagrees with the edges, so a value printed on an edge is counted in the bucket that starts there.
 * Tested by hand-counted examples and a fast-check property (merge of two halves = one histogram of all values).
 */
export function fixedHistogram(spec: FixedHistogramSpec): MergeableReducer<number, FixedHistogramState, FixedHistogramValue> {
  const { lower, upper, buckets } = spec;
  if (!Number.isFinite(lower) || !Number.isFinite(upper) || !(lower < upper) || !Number.isFinite(upper - lower)) {
    throw new RangeError(`fixedHistogram: need finite lower < upper with a finite width, got [${lower}, ${upper})`);
  }
  if (!Number.isSafeInteger(buckets) || buckets < 1) {
    throw new RangeError(`fixedHistogram: buckets must be a positive integer, got ${buckets}`);
  }
  const width = upper - lower;
  const edges = new Float64Array(buckets + 1);
  for (let i = 0; i < buckets; i++) edges[i] = lower + (width * i) / buckets;
  edges[buckets] = upper;
  const overflowSlot = buckets + 1;
  const missingSlot = buckets + 2;
  const edge = (i: number): number => edges[i] ?? upper;

  const slotOf = (x: number): number => {
    if (Number.isNaN(x)) return missingSlot;
    if (x < lower) return 0;
    if (x >= upper) return overflowSlot;
    let bucket = Math.min(buckets - 1, Math.max(0, Math.floor(((x - lower) / width) * buckets)));
    while (bucket > 0 && x < edge(bucket)) bucket--;
    while (bucket < buckets - 1 && x >= edge(bucket + 1)) bucket++;
    return bucket + 1;
  };

  const sameSpec = (other: FixedHistogramSpec): boolean =>
    other.lower === lower && other.upper === upper && other.buckets === buckets;

  const checkState = (state: FixedHistogramState, role: string): void => {
    if (!sameSpec(state.spec) || state.counts.length !== buckets + 3) {
      throw new RangeError(`fixedHistogram: ${role} state has a different spec; only histograms of one spec merge`);
    }
  };

  return {
    init: () => ({ spec: { lower, upper, buckets }, counts: new Float64Array(buckets + 3) }),
    add: (state, x) => {
      const slot = slotOf(x);
      state.counts[slot] = (state.counts[slot] ?? 0) + 1;
      return state;
    },
    merge: (left, right) => {
      checkState(left, "left");
      checkState(right, "right");
      const counts = new Float64Array(buckets + 3);
      for (let i = 0; i < counts.length; i++) counts[i] = (left.counts[i] ?? 0) + (right.counts[i] ?? 0);
      return { spec: { lower, upper, buckets }, counts };
    },
    value: (state) => {
      checkState(state, "the");
      let total = 0;
      for (const count of state.counts) total += count;
      return {
        lower,
        upper,
        edges: Array.from(edges),
        counts: Array.from(state.counts.subarray(1, buckets + 1)),
        underflow: state.counts[0] ?? 0,
        overflow: state.counts[overflowSlot] ?? 0,
        missing: state.counts[missingSlot] ?? 0,
        total,
      };
    },
  };
}
