// Number of jumps in one step: a Poisson(mean) count by inversion of one uniform, sequential search on the CDF
// (Devroye, "Non-Uniform Random Variate Generation", Springer 1986, ch. X, the Poisson distribution): return the
// least k with u <= F(k), building p(k) = p(k - 1) mean / k from p(0) = exp(-mean). One uniform per count keeps a
// step's draw count fixed, and for the intended means (expected jumps per step, well below 1) the search ends
// after about 1 + mean comparisons, cheaper than any rejection method.
// The search is bounded three ways. MAX_MEAN = 10 keeps exp(-mean) far from underflow and the loop short; larger
// means are rejected, not approximated. The loop stops once a term no longer changes the float sum F: the mass
// left is then about that term, under 2^-53, finer than a uniform can resolve, and without this stop a u within
// a few ulps of 1, which the rounded sum may never reach, would run on to the backstop. MAX_COUNT = 64 is that
// backstop and never binds for valid input: for mean <= 10 the Chernoff bound e^-m (e m / k)^k puts P(N >= 64)
// below 1e-28.
// Tested in poisson-count.test.ts: exact boundaries u = F(0) and F(1), the stop near u = 1, and mean, variance
// and P(N = 0) of 1e6 draws.

const MAX_MEAN = 10;
const MAX_COUNT = 64;

/** `zero` may give P(N = 0) = exp(-mean) when the caller keeps it for a mean it draws with often. */
export function poissonCount(u: number, mean: number, zero = Math.exp(-mean)): number {
  if (!(u > 0 && u < 1)) throw new RangeError(`poissonCount: u must lie in the open interval (0, 1), got ${String(u)}`);
  if (!(mean >= 0 && mean <= MAX_MEAN)) {
    throw new RangeError(`poissonCount: mean must lie in [0, ${MAX_MEAN}] (inversion by sequential search is for small means), got ${String(mean)}`);
  }
  let count = 0;
  let term = zero;
  let cdf = term;
  while (u > cdf && count < MAX_COUNT) {
    count += 1;
    term *= mean / count;
    const next = cdf + term;
    if (next === cdf) break;
    cdf = next;
  }
  return count;
}
