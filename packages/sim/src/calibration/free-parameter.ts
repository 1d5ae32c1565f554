/**
 * How a constrained parameter is searched: the optimiser moves a free number u over the real line and the
 * parameter is a smooth function of it that stays inside its range (constraint by transformation), so the search
 * never leaves the model. `scale` sets u's unit so that a step of 1 in u is about one plausible change of the
 * parameter, which keeps the quasi-Newton search well conditioned.
 *
 * A bounded or one-signed parameter saturates at |u| = 12 (within e^-12 of its bound): beyond it the parameter
 * stays put and its derivative is 0. A maximum on the bound (a jump leg the data does not want, an intensity at the
 * schema's cap) then stops the search there instead of letting it crawl towards infinity, and the observed
 * information treats such a parameter as at its bound.
 */
export interface FreeParameter {
  toNatural(u: number): number;
  toFree(x: number): number;
  /** d(natural)/du at u, for the chain rule from a natural gradient. */
  derivative(u: number): number;
}

export const saturation = 12;

const clamp = (u: number): number => Math.max(-saturation, Math.min(saturation, u));
const inside = (u: number): boolean => Math.abs(u) < saturation;

/** Any real number, in units of `scale`. */
export function unbounded(scale: number): FreeParameter {
  return { toNatural: (u) => u * scale, toFree: (x) => x / scale, derivative: () => scale };
}

/** A positive number: scale e^u. */
export function positive(scale: number): FreeParameter {
  return {
    toNatural: (u) => scale * Math.exp(clamp(u)),
    toFree: (x) => clamp(Math.log(x / scale)),
    derivative: (u) => (inside(u) ? scale * Math.exp(u) : 0),
  };
}

/** A number in (low, high): low + (high - low) / (1 + e^-u). */
export function bounded(low: number, high: number): FreeParameter {
  const width = high - low;
  return {
    toNatural: (u) => low + width / (1 + Math.exp(-clamp(u))),
    toFree: (x) => {
      const p = Math.min(1 - 1e-15, Math.max(1e-15, (x - low) / width));
      return clamp(Math.log(p / (1 - p)));
    },
    derivative: (u) => {
      if (!inside(u)) return 0;
      const e = Math.exp(-Math.abs(u));
      return (width * e) / ((1 + e) * (1 + e));
    },
  };
}

/** A sign-constrained number (up-jump means >= 0, down-jump means <= 0): sign * scale e^u. */
export function signed(sign: 1 | -1, scale: number): FreeParameter {
  return {
    toNatural: (u) => sign * scale * Math.exp(clamp(u)),
    toFree: (x) => clamp(Math.log(Math.max(1e-300, sign * x) / scale)),
    derivative: (u) => (inside(u) ? sign * scale * Math.exp(u) : 0),
  };
}
