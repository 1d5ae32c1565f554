import { logGamma } from "./distribution-functions.js";

/**
 * The law of one step of the jump-diffusion as a finite normal mixture: with i up-jumps and j down-jumps in the
 * step (independent Poisson counts of mean lambda_up dt and lambda_down dt), the step's log return is normal with
 *   mean_ij = (drift - volatility^2 / 2 - compensator) dt + i upMean + j downMean,
 *   variance_ij = volatility^2 dt + i upStdDev^2 + j downStdDev^2,
 * where the compensator lambda_up (e^{upMean + upStdDev^2 / 2} - 1) + lambda_down (...) is Merton's (1976), as
 * market-model.ts applies it. The Poisson mixture is truncated where the mass left out is below 1e-12: each leg's
 * count stops where its own tail is below 1e-13, then the smallest (i, j) terms are dropped while their total and
 * the two tails stay below 1e-12.
 */
export interface JumpMixture {
  readonly terms: number;
  readonly up: Int32Array;
  readonly down: Int32Array;
  readonly logWeight: Float64Array;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  /** Sum of the kept weights (1 less at most 1e-12). */
  readonly totalWeight: number;
}

/** The jump legs in the natural order of the fit: [drift, volatility, upIntensity, upMean, upStdDev, downIntensity, downMean, downStdDev]. */
export type JumpDiffusionTheta = readonly number[];

export const neglectedMass = 1e-12;
const legTail = 1e-13;

/** The Poisson(mean) probabilities of 0..n, n the first count whose upper tail is below `legTail`. */
function poissonTerms(mean: number): number[] {
  const terms = [Math.exp(-mean)];
  for (let k = 1; k < 200; k++) {
    // The tail beyond k - 1 summed directly from the next terms (1 - cumulative loses the digits that matter).
    let tail = 0;
    let term = (terms[k - 1] ?? 0) * (mean / k);
    for (let j = k; j < k + 60 && term > 0; j++) {
      tail += term;
      term *= mean / (j + 1);
    }
    if (tail < legTail) break;
    terms.push((terms[k - 1] ?? 0) * (mean / k));
  }
  return terms;
}

export function jumpMixture(theta: JumpDiffusionTheta, dt: number): JumpMixture {
  const [drift = 0, volatility = 0, upIntensity = 0, upMean = 0, upStdDev = 0, downIntensity = 0, downMean = 0, downStdDev = 0] = theta;
  const upTerms = poissonTerms(upIntensity * dt);
  const downTerms = poissonTerms(downIntensity * dt);
  const compensator = upIntensity * (Math.exp(upMean + 0.5 * upStdDev * upStdDev) - 1) + downIntensity * (Math.exp(downMean + 0.5 * downStdDev * downStdDev) - 1);
  const base = (drift - 0.5 * volatility * volatility - compensator) * dt;
  const pairs: { i: number; j: number; weight: number }[] = [];
  upTerms.forEach((pu, i) => {
    downTerms.forEach((pd, j) => pairs.push({ i, j, weight: pu * pd }));
  });
  pairs.sort((a, b) => a.weight - b.weight);
  let dropped = 2 * legTail;
  let first = 0;
  while (first < pairs.length - 1 && dropped + (pairs[first]?.weight ?? 0) < neglectedMass) dropped += pairs[first++]?.weight ?? 0;
  const kept = pairs.slice(first);
  const n = kept.length;
  const mixture = { terms: n, up: new Int32Array(n), down: new Int32Array(n), logWeight: new Float64Array(n), mean: new Float64Array(n), variance: new Float64Array(n), totalWeight: 0 };
  const logUp = Math.log(upIntensity * dt);
  const logDown = Math.log(downIntensity * dt);
  kept.forEach(({ i, j, weight }, k) => {
    mixture.up[k] = i;
    mixture.down[k] = j;
    // Log weights from the closed form, exact where the product of two tiny probabilities would underflow.
    mixture.logWeight[k] = (i === 0 ? 0 : i * logUp - logGamma(i + 1)) - upIntensity * dt + (j === 0 ? 0 : j * logDown - logGamma(j + 1)) - downIntensity * dt;
    mixture.mean[k] = base + i * upMean + j * downMean;
    mixture.variance[k] = volatility * volatility * dt + i * upStdDev * upStdDev + j * downStdDev * downStdDev;
    mixture.totalWeight += weight;
  });
  return mixture;
}
