import { choleskyFactor, MstressError } from "@mstress/core/engine";
import type { MarketSpec } from "@mstress/core";
import { evenTimes, type PathGrid } from "../kernel/path-grid.js";

// The scenario's market compiled to per-step constants in typed arrays, once per worker, so that the path
// generator's inner loop does only arithmetic. Rates per year become per-step quantities here.

export const secondsPerYear = 365 * 86_400;

/** How an asset's log return is drawn (an Int8Array code per asset, for the hot loop). */
export const PriceModelKind = { Diffusion: 0, Garch: 1, Bootstrap: 2 } as const;

/** Sentinels for a funding override: the venue's floor or cap (a number is a rate per 8 h). */
export const fundingAtFloor = Number.NEGATIVE_INFINITY;
export const fundingAtCap = Number.POSITIVE_INFINITY;

export interface CompiledMarket extends PathGrid {
  readonly stepSeconds: number;
  readonly withinStep: "box";
  readonly kind: Int8Array;
  /** Annualised drift mu and volatility sigma (calm regime). */
  readonly drift: Float64Array;
  readonly volatilityPerStep: Float64Array;
  /** Jump intensities per step and log-size mean/stdDev, up (pumps) and down (crashes). */
  readonly upJumpsPerStep: Float64Array;
  readonly upJumpMean: Float64Array;
  readonly upJumpStdDev: Float64Array;
  readonly downJumpsPerStep: Float64Array;
  readonly downJumpMean: Float64Array;
  readonly downJumpStdDev: Float64Array;
  /**
   * Merton's compensator per step at calm intensity, lambda (E[e^J] - 1) summed over both legs: subtracted from
   * the drift it keeps E[S_t] = S_0 e^{mu t} whatever the jumps (scaled by the stress multiplier when stressed).
   */
  readonly jumpCompensatorPerStep: Float64Array;
  /** GARCH(1,1) per-step omega, alpha, beta and Student-t degrees of freedom. */
  readonly garchOmega: Float64Array;
  readonly garchAlpha: Float64Array;
  readonly garchBeta: Float64Array;
  readonly garchDegreesOfFreedom: Float64Array;
  /** Bootstrap: historical log returns per asset (empty for modelled assets) and the block length in steps. */
  readonly bootstrapReturns: readonly Float64Array[];
  readonly bootstrapBlockLength: number;
  /** Lower Cholesky factor of the diffusion shocks' correlation (identity where none is given). */
  readonly cholesky: Float64Array;
  readonly hasBasis: Uint8Array;
  readonly basisMean: Float64Array;
  readonly basisInitial: Float64Array;
  readonly basisDecay: Float64Array;
  readonly basisInnovation: Float64Array;
  readonly hasFunding: Uint8Array;
  readonly fundingMean: Float64Array;
  readonly fundingInitial: Float64Array;
  readonly fundingDecay: Float64Array;
  readonly fundingInnovation: Float64Array;
  readonly fundingCoupling: Float64Array;
  readonly fundingVenueOffset: readonly ReadonlyMap<string, number>[];
  readonly regime: {
    readonly enabled: boolean;
    readonly calmToStressPerStep: number;
    readonly stressToCalmPerStep: number;
    readonly volatilityMultiplier: number;
    readonly jumpIntensityMultiplier: number;
    readonly basisShift: number;
  };
  /** Scripted overlays per (step, asset), row-major steps x assets: log move added, basis and funding holds. */
  readonly stressLogMove: Float64Array;
  readonly stressBasis: Float64Array;
  readonly stressFunding: Float64Array;
}

/** Historical log returns for each bootstrapped asset, read by the caller from the scenario's CSV. */
export type BootstrapReturns = ReadonlyMap<string, Float64Array>;

/**
 * Compiles a validated market. `assets` fixes the order of the per-asset arrays (the route's assets first; any
 * other modelled asset follows so correlations still apply).
 */
export function compileMarket(market: MarketSpec, bootstrap: BootstrapReturns = new Map()): CompiledMarket {
  const assets = Object.keys(market.assets);
  const n = assets.length;
  const steps = Math.round(market.horizon / market.step);
  const dt = market.step / secondsPerYear;
  const array = (): Float64Array => new Float64Array(n);
  const compiled = {
    initialIndex: array(), drift: array(), volatilityPerStep: array(),
    upJumpsPerStep: array(), upJumpMean: array(), upJumpStdDev: array(),
    downJumpsPerStep: array(), downJumpMean: array(), downJumpStdDev: array(), jumpCompensatorPerStep: array(),
    garchOmega: array(), garchAlpha: array(), garchBeta: array(), garchDegreesOfFreedom: array(),
    basisMean: array(), basisInitial: array(), basisDecay: array(), basisInnovation: array(),
    fundingMean: array(), fundingInitial: array(), fundingDecay: array(), fundingInnovation: array(), fundingCoupling: array(),
  };
  const kind = new Int8Array(n);
  const hasBasis = new Uint8Array(n);
  const hasFunding = new Uint8Array(n);
  const bootstrapReturns: Float64Array[] = [];
  const fundingVenueOffset: Map<string, number>[] = [];
  let blockLength = 1;

  assets.forEach((name, a) => {
    const spec = market.assets[name];
    if (spec === undefined) return;
    compiled.initialIndex[a] = spec.price;
    const model = spec.model;
    bootstrapReturns.push(new Float64Array(0));
    switch (model.kind) {
      case "gbm":
      case "jump-diffusion":
        kind[a] = PriceModelKind.Diffusion;
        compiled.drift[a] = model.drift;
        compiled.volatilityPerStep[a] = model.volatility * Math.sqrt(dt);
        if (model.kind === "jump-diffusion") {
          const { up, down } = model.jumps;
          compiled.upJumpsPerStep[a] = (up?.intensity ?? 0) * dt;
          compiled.upJumpMean[a] = up?.mean ?? 0;
          compiled.upJumpStdDev[a] = up?.stdDev ?? 0;
          compiled.downJumpsPerStep[a] = (down?.intensity ?? 0) * dt;
          compiled.downJumpMean[a] = down?.mean ?? 0;
          compiled.downJumpStdDev[a] = down?.stdDev ?? 0;
          compiled.jumpCompensatorPerStep[a] =
            ((up?.intensity ?? 0) * (Math.exp((up?.mean ?? 0) + 0.5 * (up?.stdDev ?? 0) ** 2) - 1) +
              (down?.intensity ?? 0) * (Math.exp((down?.mean ?? 0) + 0.5 * (down?.stdDev ?? 0) ** 2) - 1)) *
            dt;
        }
        break;
      case "garch-t": {
        kind[a] = PriceModelKind.Garch;
        compiled.drift[a] = model.drift;
        const unconditional = model.volatility * model.volatility * dt;
        compiled.volatilityPerStep[a] = Math.sqrt(unconditional);
        compiled.garchOmega[a] = unconditional * (1 - model.alpha - model.beta);
        compiled.garchAlpha[a] = model.alpha;
        compiled.garchBeta[a] = model.beta;
        compiled.garchDegreesOfFreedom[a] = model.degreesOfFreedom;
        break;
      }
      case "bootstrap": {
        kind[a] = PriceModelKind.Bootstrap;
        const returns = bootstrap.get(name);
        if (returns === undefined) throw new MstressError("E_BAD_INPUT", `market.assets.${name}.model.csv: no historical returns were loaded`);
        if (returns.length < model.blockLength) {
          throw new MstressError("E_BAD_INPUT", `market.assets.${name}.model.blockLength: expected at most the ${returns.length} returns in the CSV, got ${model.blockLength}`);
        }
        bootstrapReturns[a] = returns;
        blockLength = model.blockLength;
        compiled.volatilityPerStep[a] = sampleStdDev(returns);
        break;
      }
    }
    const basis = spec.basis;
    if (basis !== undefined) {
      hasBasis[a] = 1;
      const transition = ouTransition(basis, market.step);
      compiled.basisMean[a] = basis.mean;
      compiled.basisInitial[a] = basis.initial ?? basis.mean;
      compiled.basisDecay[a] = transition.decay;
      compiled.basisInnovation[a] = transition.innovation;
    }
    const funding = spec.funding;
    fundingVenueOffset.push(new Map(Object.entries(funding?.venueOffset ?? {})));
    if (funding !== undefined) {
      hasFunding[a] = 1;
      const transition = ouTransition(funding, market.step);
      compiled.fundingMean[a] = funding.mean;
      compiled.fundingInitial[a] = funding.initial ?? funding.mean;
      compiled.fundingDecay[a] = transition.decay;
      compiled.fundingInnovation[a] = transition.innovation;
      compiled.fundingCoupling[a] = funding.returnCoupling;
    }
  });

  const correlation: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  if (market.correlation !== undefined) {
    const order = market.correlation.assets.map((name) => assets.indexOf(name));
    market.correlation.matrix.forEach((row, i) => {
      row.forEach((value, j) => {
        const a = order[i] ?? 0;
        const b = order[j] ?? 0;
        const target = correlation[a];
        if (target !== undefined) target[b] = value;
      });
    });
  }
  const cholesky = choleskyFactor(correlation);
  if (cholesky === null) throw new MstressError("E_BAD_INPUT", "market.correlation.matrix: expected a positive semi-definite correlation matrix");

  const regime = market.regime;
  const stressLogMove = new Float64Array(steps * n);
  const stressBasis = new Float64Array(steps * n).fill(Number.NaN);
  const stressFunding = new Float64Array(steps * n).fill(Number.NaN);
  for (const overlay of market.stress) {
    const targets = (overlay.assets ?? assets).map((name) => assets.indexOf(name));
    const end = overlay.at + overlay.over;
    for (let s = 0; s < steps; s++) {
      const stepStart = s * market.step;
      const stepEnd = stepStart + market.step;
      const overlap = Math.max(0, Math.min(stepEnd, end) - Math.max(stepStart, overlay.at));
      const endsInside = stepEnd > overlay.at && stepEnd <= end + 1e-9;
      for (const a of targets) {
        // The move is spread evenly in log terms over its window: a deterministic drift, which leaves the
        // Brownian bridge between the step's endpoints (and so the sampled extremes) exact.
        if (overlay.move !== undefined && overlap > 0) stressLogMove[s * n + a] = (stressLogMove[s * n + a] ?? 0) + (Math.log1p(overlay.move) * overlap) / overlay.over;
        if (!endsInside) continue;
        if (overlay.basis !== undefined) stressBasis[s * n + a] = overlay.basis;
        if (overlay.funding !== undefined) {
          stressFunding[s * n + a] = overlay.funding === "floor" ? fundingAtFloor : overlay.funding === "cap" ? fundingAtCap : overlay.funding;
        }
      }
    }
  }

  return {
    assets,
    steps,
    stepSeconds: market.step,
    times: evenTimes(steps, market.step),
    withinStep: "box",
    horizonSeconds: steps * market.step,
    ...compiled,
    kind,
    bootstrapReturns,
    bootstrapBlockLength: blockLength,
    cholesky,
    hasBasis,
    hasFunding,
    fundingVenueOffset,
    regime: {
      enabled: regime !== undefined,
      // Exact transition probabilities of the two-state continuous-time chain over one step, so the long-run
      // share of time in stress is calmToStress / (calmToStress + stressToCalm) whatever the step.
      calmToStressPerStep: switchProbability(regime?.calmToStress ?? 0, regime?.stressToCalm ?? 0, dt),
      stressToCalmPerStep: switchProbability(regime?.stressToCalm ?? 0, regime?.calmToStress ?? 0, dt),
      volatilityMultiplier: regime?.volatilityMultiplier ?? 1,
      jumpIntensityMultiplier: regime?.jumpIntensityMultiplier ?? 1,
      basisShift: regime?.basisShift ?? 0,
    },
    stressLogMove,
    stressBasis,
    stressFunding,
  };
}

/**
 * Exact one-step transition of an Ornstein-Uhlenbeck process (Uhlenbeck & Ornstein 1930): the deviation from the
 * mean decays by e^{-ln2 step / halfLife}, and the innovation keeps the stationary variance stdDev^2.
 */
function ouTransition(spec: { readonly stdDev: number; readonly halfLife: number }, step: number): { decay: number; innovation: number } {
  const decay = Math.exp((-Math.LN2 * step) / spec.halfLife);
  return { decay, innovation: spec.stdDev * Math.sqrt(1 - decay * decay) };
}

function switchProbability(away: number, back: number, dt: number): number {
  const total = away + back;
  return total === 0 ? 0 : (away / total) * (1 - Math.exp(-total * dt));
}

function sampleStdDev(values: Float64Array): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let sum = 0;
  for (const v of values) sum += (v - mean) * (v - mean);
  return Math.sqrt(sum / Math.max(1, values.length - 1));
}
