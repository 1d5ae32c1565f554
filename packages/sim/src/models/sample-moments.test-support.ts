// Sample moments and their standard errors, shared by the statistical tests of the models.

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
