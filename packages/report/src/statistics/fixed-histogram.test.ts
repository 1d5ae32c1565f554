import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixedHistogram } from "./fixed-histogram.js";
import type { FixedHistogramState } from "./fixed-histogram.js";
import type { MergeableReducer } from "./mergeable-reducer.js";

function addAll<S>(reducer: MergeableReducer<number, S, unknown>, values: readonly number[]): S {
  let state = reducer.init();
  for (const value of values) state = reducer.add(state, value);
  return state;
}

describe("fixedHistogram", () => {
  it("counts a hand-sorted sample into [0, 10) with 5 buckets of width 2", () => {
    // underflow: −1, −∞ (2). [0, 2): 0, 1.999 (2). [2, 4): 2, 3 (2). [4, 6): 4 (1). [6, 8): none.
    // [8, 10): 9.999 (1). overflow: 10, 11, +∞ (3). missing: NaN (1). total 12.
    const histogram = fixedHistogram({ lower: 0, upper: 10, buckets: 5 });
    const values = [-1, 0, 1.999, 2, 3, 9.999, 10, 11, Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 4];
    expect(histogram.value(addAll(histogram, values))).toEqual({
      lower: 0,
      upper: 10,
      edges: [0, 2, 4, 6, 8, 10],
      counts: [2, 2, 1, 0, 1],
      underflow: 2,
      overflow: 3,
      missing: 1,
      total: 12,
    });
  });

  it("puts a value that is a printed edge into the bucket starting there, even where the arithmetic rounds", () => {
    // [0, 1) in 10 buckets: edges are 0, 0.1, 0.2, 0.3 (3/10), ...; each edge value must land in its own bucket,
    // although e.g. (0.6 − 0)/1·10 need not round to exactly 6.
    const histogram = fixedHistogram({ lower: 0, upper: 1, buckets: 10 });
    const { edges } = histogram.value(histogram.init());
    for (const [i, edge] of edges.slice(0, -1).entries()) {
      const counts = histogram.value(histogram.add(histogram.init(), edge)).counts;
      expect(counts.indexOf(1)).toBe(i);
    }
  });

  it("leaves both inputs of merge untouched and rejects states of another spec", () => {
    const histogram = fixedHistogram({ lower: -1, upper: 1, buckets: 4 });
    const left = addAll(histogram, [-0.5, 0.5]);
    const right = addAll(histogram, [0.75]);
    const merged = histogram.merge(left, right);
    expect(histogram.value(merged).counts).toEqual([0, 1, 0, 2]);
    expect(histogram.value(left).counts).toEqual([0, 1, 0, 1]);
    expect(histogram.value(right).counts).toEqual([0, 0, 0, 1]);
    const other = fixedHistogram({ lower: -1, upper: 1, buckets: 5 });
    expect(() => histogram.merge(left, other.init())).toThrow(RangeError);
    expect(() => histogram.value(other.init())).toThrow(RangeError);
  });

  it("rejects an empty or infinite range and a non-integer bucket count", () => {
    expect(() => fixedHistogram({ lower: 1, upper: 1, buckets: 3 })).toThrow(RangeError);
    expect(() => fixedHistogram({ lower: 0, upper: Number.POSITIVE_INFINITY, buckets: 3 })).toThrow(RangeError);
    expect(() => fixedHistogram({ lower: -Number.MAX_VALUE, upper: Number.MAX_VALUE, buckets: 3 })).toThrow(RangeError);
    expect(() => fixedHistogram({ lower: 0, upper: 1, buckets: 0 })).toThrow(RangeError);
    expect(() => fixedHistogram({ lower: 0, upper: 1, buckets: 2.5 })).toThrow(RangeError);
  });

  it("merging the histograms of two parts equals one histogram of all values, in either order (property)", () => {
    const spec = fc.record({
      lower: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      width: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
      buckets: fc.integer({ min: 1, max: 40 }),
    });
    fc.assert(
      fc.property(spec, fc.array(fc.double()), fc.array(fc.double()), fc.array(fc.nat()), ({ lower, width, buckets }, a, b, onEdges) => {
        const histogram = fixedHistogram({ lower, upper: lower + width, buckets });
        // Edge values are where a split could most plausibly disagree, so some values are placed exactly on them.
        const { edges } = histogram.value(histogram.init());
        const edgeValues = onEdges.map((i) => edges[i % edges.length] ?? lower);
        const left = [...a, ...edgeValues];
        const whole = histogram.value(addAll(histogram, [...left, ...b]));
        const leftState: FixedHistogramState = addAll(histogram, left);
        const rightState = addAll(histogram, b);
        expect(histogram.value(histogram.merge(leftState, rightState))).toEqual(whole);
        expect(histogram.value(histogram.merge(rightState, leftState))).toEqual(whole);
        expect(whole.total).toBe(left.length + b.length);
      }),
      { numRuns: 300, seed: 424_242 },
    );
  });

  it("every in-range value lies within its bucket's printed edges (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: 1, max: 30 }), (x, buckets) => {
        const histogram = fixedHistogram({ lower: -10, upper: 10, buckets });
        const { edges, counts, underflow, overflow } = histogram.value(histogram.add(histogram.init(), x));
        if (x < -10) expect(underflow).toBe(1);
        else if (x >= 10) expect(overflow).toBe(1);
        else {
          const bucket = counts.indexOf(1);
          expect(edges[bucket]).toBeLessThanOrEqual(x);
          expect(x).toBeLessThan(edges[bucket + 1] ?? Number.NaN);
        }
      }),
      { numRuns: 500, seed: 1_011 },
    );
  });
});
