export interface SampleMoments {
  readonly count: number;
  readonly mean: number;
  // Unbiased sample variance (divisor n − 1); null for a single value, where it is undefined.
  readonly variance: number | null;
  readonly stdDev: number | null;
}

/**
 * Mean and sample variance in one pass in index order by Welford's (1962) update, as given in Knuth, TAOCP vol. 2,
 * §4.2.2: m_k = m_{k−1} + (x_k − m_{k−1})/k, S_k = S_{k−1} + (x_k − m_{k−1})(x_k − m_k). Unlike the textbook
 * Σx² − n·mean² it does not cancel catastrophically when the mean is large against the spread (PnL of a hedged
 * route: thousands of quote units ± cents). A fixed order makes the result bit-for-bit reproducible. Tested by hand
 * and against a large-offset sample in sample-moments.test.ts.
 */
export function sampleMoments(values: Float64Array): SampleMoments {
  const count = values.length;
  if (count === 0) throw new RangeError("sampleMoments: no values");
  let mean = 0;
  let squares = 0;
  let k = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) throw new RangeError(`sampleMoments: values must be finite, got ${x} at ${k}`);
    k++;
    const delta = x - mean;
    mean += delta / k;
    squares += delta * (x - mean);
  }
  if (count === 1) return { count, mean, variance: null, stdDev: null };
  const variance = squares / (count - 1);
  return { count, mean, variance, stdDev: Math.sqrt(variance) };
}
