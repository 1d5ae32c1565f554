import { z } from "zod";
import { choleskyFactor } from "../statistics/cholesky-factor.js";
import { chooseAutoStep } from "./auto-step.js";
import { durationSchema } from "./duration.js";

// The Monte Carlo market of a scenario (`market:` in YAML): one price model per asset, their correlation, the
// perp basis and funding processes, an optional calm/stress regime, and scripted stress overlays. Units are stated
// per field; rates "per year" are annualised with a 365-day year (crypto trades every day).

// Bounds: wide enough for any crypto market (1,000 % a year of volatility or drift), narrow enough that a price
// stays a finite positive double over the longest horizon (fuzz-tested in packages/cli/src/fuzz/).
const annualVolatility = z.number().positive().lte(10);
const annualDrift = z.number().gte(-10).lte(10).default(0);
const rate = z.number().gt(-1).lt(1);
/** Events per year (jumps, regime switches): at most one every hour or so. */
const intensity = z.number().nonnegative().lte(10_000);

/** A compound-Poisson jump leg: `intensity` jumps per year, log jump size ~ Normal(mean, stdDev). */
const jumpLeg = z.strictObject({
  intensity,
  mean: z.number().gt(-5).lt(5),
  stdDev: z.number().nonnegative().lt(2),
});

const gbm = z.strictObject({
  kind: z.literal("gbm"),
  /** Annualised drift of the log price's expectation (mu in dS/S = mu dt + sigma dW). */
  drift: annualDrift,
  volatility: annualVolatility,
});

const jumpDiffusion = z.strictObject({
  kind: z.literal("jump-diffusion"),
  drift: annualDrift,
  volatility: annualVolatility,
  /** Merton (1976) jumps, pumps and crashes with their own intensity and size. */
  jumps: z.strictObject({ up: jumpLeg.optional(), down: jumpLeg.optional() }),
});

const garch = z.strictObject({
  kind: z.literal("garch-t"),
  drift: annualDrift,
  /** Unconditional annualised volatility; omega follows from it: omega = sigma^2 dt (1 - alpha - beta). */
  volatility: annualVolatility,
  alpha: z.number().nonnegative().lt(1),
  beta: z.number().nonnegative().lt(1),
  /** Student-t innovations, scaled to unit variance; > 2 so the variance exists. */
  degreesOfFreedom: z.number().gt(2).max(1000),
});

const bootstrap = z.strictObject({
  kind: z.literal("bootstrap"),
  /** CSV of historical prices at the simulation step (`timestamp,price` or OHLC bars), relative to the scenario file. */
  csv: z.string().min(1),
  /** Consecutive returns drawn together, preserving volatility clustering (Kunsch 1989 block bootstrap). */
  blockLength: z.number().int().positive().lte(1_000_000),
});

export const priceModelSchema = z.discriminatedUnion("kind", [gbm, jumpDiffusion, garch, bootstrap]);

/** Ornstein-Uhlenbeck: mean, stationary standard deviation, and the half-life of a deviation. */
const meanReverting = {
  mean: rate,
  stdDev: z.number().nonnegative().lt(1),
  halfLife: durationSchema,
};

const asset = z.strictObject({
  /** Index price at t = 0. */
  price: z.number().gte(1e-8).lte(1e12),
  model: priceModelSchema,
  /** Perp basis: mark = index * (1 + basis). Default: none. */
  basis: z.strictObject({ ...meanReverting, initial: rate.optional() }).optional(),
  /**
   * Funding rate per 8 h (an N-hour venue pays rate * N / 8): an OU state plus `returnCoupling` times the log
   * return over the funding interval just ended (pumps push funding up, crashes drive it negative), clamped at
   * the venue's cap. `venueOffset` adds a per-venue spread (cross-venue carry).
   */
  funding: z
    .strictObject({
      ...meanReverting,
      initial: rate.optional(),
      returnCoupling: z.number().gte(-10).lte(10).default(0),
      venueOffset: z.record(z.string().min(1), rate).default({}),
    })
    .optional(),
});

const regime = z.strictObject({
  /** Switching intensities per year of a two-state Markov chain that starts calm. */
  calmToStress: intensity,
  stressToCalm: z.number().positive().lte(10_000),
  volatilityMultiplier: z.number().positive().lte(10).default(1),
  jumpIntensityMultiplier: z.number().nonnegative().lte(100).default(1),
  /** Added to every basis mean while stressed (basis widens in stress). */
  basisShift: rate.default(0),
});

/**
 * Auto-deleveraging (ADL) of named perp legs: each one that is in profit at the mark is closed by `fraction` at the
 * mark, as a venue does to profitable positions when its insurance fund cannot absorb a bankrupt liquidation.
 */
export const adlSchema = z.strictObject({
  legs: z.array(z.string().min(1)).min(1),
  fraction: z.number().gt(0).max(1).default(1),
});

/**
 * A known shock inside random paths: a price move of `move` (0.12 = +12 %) spread over `over` from `at`;
 * and/or funding held at the venue floor, cap or a rate per 8 h, and/or the basis held at a value, for `over`;
 * and/or an auto-deleveraging of named legs at `at`.
 */
const stressOverlay = z.strictObject({
  at: durationSchema,
  /** Needed with move, funding or basis; an ADL happens at `at`. */
  over: durationSchema.default(0),
  /** Assets it applies to; default every asset. */
  assets: z.array(z.string().min(1)).min(1).optional(),
  move: z.number().gt(-1).lte(10).optional(),
  funding: z.union([z.literal("floor"), z.literal("cap"), rate]).optional(),
  basis: rate.optional(),
  adl: adlSchema.optional(),
});

/**
 * Stochastic ADL, a stress assumption: when an asset moves by more than `move` (up or down) within `within`, each
 * perp leg on it that is in profit is closed, with `probability`, at the mark at the end of the step where the move
 * passes the threshold (once per such episode: it re-arms when the move falls back under the threshold).
 */
const adlModel = z.strictObject({
  move: z.number().gt(0).lt(1),
  within: durationSchema,
  probability: z.number().min(0).max(1),
});

export const marketSchema = z.strictObject({
  horizon: durationSchema,
  /**
   * Simulation step, or "auto" (the default): the coarsest step that keeps every figure within sampling error of a
   * fine step (auto-step.ts). Barriers are monitored continuously inside it (Brownian-bridge extremes).
   */
  step: z.union([z.literal("auto"), durationSchema]).default("auto"),
  assets: z.record(z.string().min(1), asset),
  /** Correlation of the assets' diffusion shocks, rows and columns in the order of `assets` listed here. */
  correlation: z.strictObject({ assets: z.array(z.string().min(1)).min(2), matrix: z.array(z.array(z.number().min(-1).max(1))) }).optional(),
  regime: regime.optional(),
  stress: z.array(stressOverlay).default([]),
  adl: adlModel.optional(),
});

/** The market as the schema reads it, before "auto" is resolved to a number of seconds. */
export type MarketSpecInput = z.output<typeof marketSchema>;

/** The market with its step resolved (`resolveMarketStep`); `stepAuto` says why, when the step was "auto". */
export type MarketSpec = Omit<MarketSpecInput, "step"> & { readonly step: number; readonly stepAuto?: string };

/** The market with "auto" replaced by the step `chooseAutoStep` gives. */
export function resolveMarketStep(market: MarketSpecInput): MarketSpec {
  if (market.step !== "auto") return { ...market, step: market.step };
  const choice = chooseAutoStep(market);
  return { ...market, step: choice.step, stepAuto: choice.reason };
}
export type AssetSpec = MarketSpec["assets"][string];
export type PriceModelSpec = z.output<typeof priceModelSchema>;
export type StressOverlay = MarketSpec["stress"][number];
export type RegimeSpec = NonNullable<MarketSpec["regime"]>;

/** Most jumps a step may expect: beyond it the step cannot tell one jump from several and should be shortened. */
export const maxExpectedJumpsPerStep = 0.5;

const secondsPerYear = 365 * 86_400;

/** Most steps a path may have: a year of one-minute steps is 525,600. */
export const maxSteps = 1_000_000;

/** Cross-field checks of the market; each problem is reported with its path under `market`. */
export function marketProblems(market: MarketSpec): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const assetNames = Object.keys(market.assets);
  if (market.step <= 0) problems.push({ path: ["step"], message: "expected a positive duration" });
  if (market.horizon < market.step) problems.push({ path: ["horizon"], message: `expected at least one step (${market.step}s)` });
  else if (Math.abs(market.horizon / market.step - Math.round(market.horizon / market.step)) > 1e-9) {
    problems.push({ path: ["horizon"], message: `expected a whole number of steps of ${market.step}s` });
  } else if (market.horizon / market.step > maxSteps) {
    problems.push({ path: ["horizon"], message: `expected at most ${maxSteps.toLocaleString("en-US")} steps of ${market.step}s, got ${Math.round(market.horizon / market.step).toLocaleString("en-US")} (lengthen market.step)` });
  }
  const stepYears = market.step / secondsPerYear;
  const stressMultiplier = market.regime?.jumpIntensityMultiplier ?? 1;
  for (const [name, spec] of Object.entries(market.assets)) {
    const model = spec.model;
    if (model.kind === "jump-diffusion") {
      for (const direction of ["up", "down"] as const) {
        const leg = model.jumps[direction];
        if (leg === undefined) continue;
        const perStep = leg.intensity * Math.max(1, stressMultiplier) * stepYears;
        if (perStep > maxExpectedJumpsPerStep) {
          problems.push({
            path: ["assets", name, "model", "jumps", direction, "intensity"],
            message: `expected at most ${maxExpectedJumpsPerStep} jumps per step (${leg.intensity}/year over a ${market.step}s step${stressMultiplier > 1 ? ` with the stress multiplier ${stressMultiplier}` : ""} gives ${perStep.toPrecision(3)}): lower it or shorten market.step`,
          });
        }
      }
      if (model.jumps.up !== undefined && model.jumps.up.mean < 0) problems.push({ path: ["assets", name, "model", "jumps", "up", "mean"], message: "expected a non-negative mean log size for up-jumps (pumps)" });
      if (model.jumps.down !== undefined && model.jumps.down.mean > 0) problems.push({ path: ["assets", name, "model", "jumps", "down", "mean"], message: "expected a non-positive mean log size for down-jumps (crashes)" });
    }
    if (model.kind === "garch-t" && model.alpha + model.beta >= 1) {
      problems.push({ path: ["assets", name, "model", "beta"], message: `expected alpha + beta < 1 (a stationary GARCH), got ${model.alpha} + ${model.beta}` });
    }
    for (const process of ["basis", "funding"] as const) {
      const halfLife = spec[process]?.halfLife;
      if (halfLife !== undefined && halfLife <= 0) problems.push({ path: ["assets", name, process, "halfLife"], message: "expected a positive duration" });
    }
  }
  const blockLengths = new Set(Object.values(market.assets).flatMap((a) => (a.model.kind === "bootstrap" ? [a.model.blockLength] : [])));
  if (blockLengths.size > 1) {
    const first = Object.entries(market.assets).find(([, a]) => a.model.kind === "bootstrap")?.[0] ?? "";
    problems.push({ path: ["assets", first, "model", "blockLength"], message: `expected one block length for every bootstrapped asset (they share block starts to keep their co-movement), got ${[...blockLengths].join(", ")}` });
  }
  const correlation = market.correlation;
  if (correlation !== undefined) {
    const n = correlation.assets.length;
    correlation.assets.forEach((a, i) => {
      if (!assetNames.includes(a)) problems.push({ path: ["correlation", "assets", i], message: `expected one of the market's assets (${assetNames.join(", ")}), got ${JSON.stringify(a)}` });
      if (market.assets[a]?.model.kind === "bootstrap") problems.push({ path: ["correlation", "assets", i], message: `expected a modelled asset: ${a} is bootstrapped, its co-movement comes from the data` });
    });
    if (new Set(correlation.assets).size !== n) problems.push({ path: ["correlation", "assets"], message: "expected each asset once" });
    const square = correlation.matrix.length === n && correlation.matrix.every((row) => row.length === n);
    if (!square) {
      problems.push({ path: ["correlation", "matrix"], message: `expected a ${n}x${n} matrix (one row and column per asset listed)` });
    } else {
      correlation.matrix.forEach((row, i) => {
        row.forEach((value, j) => {
          if (i === j && value !== 1) problems.push({ path: ["correlation", "matrix", i, j], message: `expected 1 on the diagonal, got ${value}` });
          if (j > i && value !== correlation.matrix[j]?.[i]) problems.push({ path: ["correlation", "matrix", i, j], message: `expected a symmetric matrix (${value} vs ${String(correlation.matrix[j]?.[i])})` });
        });
      });
      if (problems.every((p) => p.path[0] !== "correlation") && choleskyFactor(correlation.matrix) === null) {
        problems.push({ path: ["correlation", "matrix"], message: "expected a positive semi-definite correlation matrix (no Cholesky factor exists)" });
      }
    }
  }
  market.stress.forEach((overlay, i) => {
    if (overlay.at + overlay.over > market.horizon) problems.push({ path: ["stress", i, "over"], message: `expected the overlay to end by the horizon (${market.horizon}s), it ends at ${overlay.at + overlay.over}s` });
    const shapesPath = overlay.move !== undefined || overlay.funding !== undefined || overlay.basis !== undefined;
    if (shapesPath && overlay.over <= 0) problems.push({ path: ["stress", i, "over"], message: "expected a positive duration" });
    if (!shapesPath && overlay.adl === undefined) problems.push({ path: ["stress", i], message: "expected at least one of move, funding, basis or adl" });
    if (overlay.adl !== undefined && overlay.at > market.horizon) problems.push({ path: ["stress", i, "at"], message: `expected a time within the horizon (${market.horizon}s), got ${overlay.at}s` });
    overlay.assets?.forEach((a, j) => {
      if (!assetNames.includes(a)) problems.push({ path: ["stress", i, "assets", j], message: `expected one of the market's assets (${assetNames.join(", ")}), got ${JSON.stringify(a)}` });
    });
  });
  if (market.adl !== undefined && market.adl.within < market.step) problems.push({ path: ["adl", "within"], message: `expected at least one step (${market.step}s): moves are measured over whole steps` });
  if (assetNames.length === 0) problems.push({ path: ["assets"], message: "expected at least one asset" });
  return problems;
}
