import { quantileSorted, sortedCopy } from "./quantile.js";

// Both measures are reported as positive loss amounts (a loss of 120 is +120), as desks quote them; a negative VaR
// means even the tail quantile is a profit. Levels are confidence levels (0.95, 0.99); the tail is α = 1 − level.

function checkLevel(name: string, level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`${name}: level must be in (0, 1), got ${level}`);
}

/**
 * Value at risk: VaR = −Q(1 − level), Q the Hyndman & Fan type-7 sample quantile of the PnL (see quantile.ts), so it
 * equals R's `-quantile(pnl, 0.05)` and NumPy's `-np.quantile(pnl, 0.05)`. `+ 0` turns a −0 into 0 for JSON and
 * for equality checks. Tested by hand on small samples in value-at-risk.test.ts.
 */
export function valueAtRisk(pnl: Float64Array, level: number): number {
  checkLevel("valueAtRisk", level);
  return -quantileSorted(sortedCopy(pnl), 1 - level) + 0;
}

/**
 * Expected shortfall, Acerbi & Tasche (2002), "On the coherence of expected shortfall", Definition 2.6 applied to
 * the empirical distribution of the n paths: with the PnL sorted ascending x(1) <= ... <= x(n), α = 1 − level and
 * k = ⌊nα⌋,
 *   ES = −( x(1) + ... + x(k) + (nα − k)·x(k+1) ) / (nα),
 * i.e. the mean loss over exactly a mass α of worst outcomes, the boundary path counted with its fractional weight.
 * When nα is whole this is the plain mean of the k worst paths (their estimator ES^(n), Acerbi & Tasche 2002,
 * "Expected shortfall: a natural coherent alternative to VaR"); unlike that estimator it is continuous in the level
 * and stays coherent for any n. Because 1 − 0.95 is not exact in binary, an nα within 1e-12 (relative) of a whole
 * number is taken as that number, so 100 paths at 95 % average exactly the 5 worst. If nα < 1 the worst path is the
 * whole tail. Tested by hand on small samples and by a property (ES >= VaR) in value-at-risk.test.ts.
 */
export function expectedShortfall(pnl: Float64Array, level: number): number {
  checkLevel("expectedShortfall", level);
  const n = pnl.length;
  if (n === 0) throw new RangeError("expectedShortfall: no values");
  const sorted = sortedCopy(pnl);
  const largest = sorted[n - 1] ?? Number.NaN;
  if (Number.isNaN(largest)) throw new RangeError("expectedShortfall: values contain NaN");
  const tail = n * (1 - level);
  const nearest = Math.round(tail);
  const snapped = nearest >= 1 && Math.abs(tail - nearest) <= 1e-12 * tail;
  const whole = snapped ? nearest : Math.floor(tail);
  const mass = snapped ? nearest : tail;
  let sum = 0;
  for (let i = 0; i < whole; i++) sum += sorted[i] ?? 0;
  if (!snapped) sum += (tail - whole) * (sorted[whole] ?? 0);
  return -(sum / mass) + 0;
}
