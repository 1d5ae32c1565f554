/**
 * Numeric liquidation search for an account whose positions move along one price factor: every index price is
 * multiplied by `factor`, and `surplus(factor)` is the account's margin over its liquidation threshold (positive
 * = alive). Returns the nearest factor above 1 and below 1 where the surplus reaches zero, or null where none
 * exists in (0, maxFactor].
 *
 * Method: march outward from 1 in geometric steps (1 % growing by half each step, so far roots are reached in
 * few evaluations), then bisect the first bracketing interval to 1e-12 relative. Surplus is piecewise linear in
 * the factor (tiers, collateral haircuts), so a sign change is found unless it dips and recovers within one step;
 * near 1 the steps are 1 %, where that matters. Tested against the closed form on single positions.
 */
export interface FactorRoots {
  readonly up: number | null;
  readonly down: number | null;
}

export function liquidationFactors(surplus: (factor: number) => number, maxFactor = 1000): FactorRoots {
  if (surplus(1) <= 0) return { up: 1, down: 1 };
  return { up: march(surplus, 1, maxFactor), down: march(surplus, -1, maxFactor) };
}

function march(surplus: (factor: number) => number, direction: 1 | -1, maxFactor: number): number | null {
  let inside = 1;
  let step = 0.01;
  for (let i = 0; i < 200; i++) {
    const candidate = direction === 1 ? inside * (1 + step) : inside / (1 + step);
    const bounded = direction === 1 ? Math.min(candidate, maxFactor) : Math.max(candidate, 1 / maxFactor);
    if (surplus(bounded) <= 0) return bisect(surplus, inside, bounded);
    if (bounded === maxFactor || bounded === 1 / maxFactor) return null;
    inside = bounded;
    if (i >= 10) step *= 1.5;
  }
  return null;
}

function bisect(surplus: (factor: number) => number, alive: number, breached: number): number {
  let a = alive;
  let b = breached;
  for (let i = 0; i < 200 && Math.abs(b - a) > 1e-12 * Math.abs(a); i++) {
    const mid = (a + b) / 2;
    if (surplus(mid) <= 0) b = mid;
    else a = mid;
  }
  return b;
}
