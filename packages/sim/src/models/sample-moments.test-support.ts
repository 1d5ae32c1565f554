import { expect } from "vitest";

// Sample moments and their standard errors, and the checks built on them, shared by the statistical tests of the
// models.

export interface Moments {
  readonly count: number;
  readonly mean: number;
  /** Unbiased sample variance. */
  readonly variance: number;
  /** Sample fourth central moment. */
  readonly fourth: number;
}

/** The first `count` values' mean, variance and fourth central moment. */
export function moments(values: ArrayLike<number>, count = values.length): Moments {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i] ?? Number.NaN;
  const mean = sum / count;
  let squares = 0;
  let fourths = 0;
  for (let i = 0; i < count; i++) {
    const d = (values[i] ?? Number.NaN) - mean;
    squares += d * d;
    fourths += d * d * d * d;
  }
  return { count, mean, variance: squares / (count - 1), fourth: fourths / count };
}

export const standardErrorOfMean = (m: Moments): number => Math.sqrt(m.variance / m.count);

/** The standard error of a sample variance of independent values: sqrt((m4 - s^4) / n). */
export const standardErrorOfVariance = (m: Moments): number => Math.sqrt((m.fourth - m.variance * m.variance) / m.count);

/** Binomial standard error of a frequency with probability p over n independent trials: sqrt(p (1 - p) / n). */
export const binomialStandardError = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / n);

export function expectClose(label: string, computed: number, expected: number, tolerance: number): void {
  expect(Math.abs(computed - expected), `${label}: computed ${computed} expected ${expected} tolerance ${tolerance}`).toBeLessThan(tolerance);
}

/** `hits` of `n` independent trials against probability p, within 4 binomial standard errors. */
export function expectFrequency(label: string, hits: number, n: number, p: number): void {
  expectClose(`${label} (4 binomial SE, n = ${n})`, hits / n, p, 4 * binomialStandardError(p, n));
}
