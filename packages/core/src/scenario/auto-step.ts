// The default simulation step ("auto"): the coarsest step that leaves every figure within sampling error of a
// fine-step reference. Barriers are monitored exactly inside a step (Brownian-bridge extremes, jumps at their own
// times), so a coarser step does not move the liquidation probability; what a step does fix is when things can
// happen at all: policy reactions, switches of regime, scripted overlays, ADL episodes and funding settlements
// happen at step ends. Each rule below is one such constraint, with the test that backs it named in
// docs/methodology.md ("The default step") and exercised model by model in auto-step-figures.test.ts (sim).

/** The steps "auto" chooses from, coarsest first: each divides the next coarser and 8 h (a funding interval). */
export const autoStepCandidates = [8 * 3600, 4 * 3600, 2 * 3600, 3600] as const;

/** The step when no candidate satisfies every rule, and for models whose parameters are per step of their data. */
export const fineAutoStep = 3600;

/** What the sub-step rule reads of a policy. */
export interface AutoStepPolicy {
  readonly kind: string;
  readonly from?: string | undefined;
  readonly cooldown?: number | undefined;
  readonly delay?: number | undefined;
}

/**
 * Whether a policy sets in motion something timed inside a step (a transfer in flight, a delayed unwind, a
 * cooldown): every policy but a top-up from the account's own free balance without a cooldown (the venues'
 * auto-add margin). That one acts at its trigger's crossing, inside its own account, and again whenever the mark
 * passes the next trigger: what it does over a path depends only on the mark's running extreme, which the bridge
 * samples exactly at any step (docs/methodology.md, "The default step"; auto-step-figures.test.ts compares it at
 * 8 h with 15 minutes). The others are timed on sub-steps where they act (`policySubStep`).
 */
export function policiesTimedInsideStep(policies: readonly AutoStepPolicy[]): boolean {
  return policies.some((policy) => !(policy.kind === "topUp" && policy.from === "free-balance" && (policy.cooldown ?? 0) === 0));
}

/** The longest sub-step a policy is timed on (15 minutes), and the shortest (1 minute), whatever its delay. */
export const longestPolicySubStep = 900;
export const shortestPolicySubStep = 60;

/** Sub-steps tried, longest first: each divides 8 h and the longer ones. */
const subStepCandidates = [900, 600, 300, 120, 60] as const;

/**
 * The sub-step a generated path's step of `step` seconds is walked in where a policy that sets something in motion
 * acts (`step` itself when none does, or when the step is already that fine): the longest candidate that divides the
 * step and is at most 15 minutes and at most half the shortest delay, but not under a minute. Walked along its way
 * to its worst corner, a step much longer than a delay puts the money's arrival too close to the trigger in price and
 * under-counts the liquidations while it is in flight: on the managed carry with frequent pumps and a $100,000
 * reserve (a 30-minute transfer), isolated liquidation was 7.7 % at 1 h steps against 11.1 % at 30 minutes (3,000
 * paths an arm, outside the 99 % interval), and 11.8 % at 8 h steps walked in 15-minute sub-steps against 11.2 % at
 * 15-minute steps (6,000 paths an arm, inside it): `node bench/auto-step-check.mjs` (docs/methodology.md, "The
 * default step").
 */
export function policySubStep(policies: readonly AutoStepPolicy[], step: number): number {
  if (!policiesTimedInsideStep(policies)) return step;
  const delays = policies.flatMap((policy) => ((policy.delay ?? 0) > 0 ? [policy.delay ?? 0] : []));
  const limit = Math.max(shortestPolicySubStep, Math.min(longestPolicySubStep, ...delays.map((delay) => delay / 2)));
  if (step <= limit) return step;
  const candidate = subStepCandidates.find((c) => c <= limit && step % c === 0);
  if (candidate !== undefined) return candidate;
  // Equal sub-steps, as many as keep each within the limit but never so many that one is under a minute.
  return step / Math.min(Math.ceil(step / limit), Math.floor(step / shortestPolicySubStep));
}

/** A regime may switch in at most this share of steps (sum of both intensities x step), so episodes span many steps. */
export const maxRegimeSwitchesPerStep = 0.05;

/** Jumps expected per step, at most (the schema's limit, with the stress multiplier). */
const maxJumpsPerStep = 0.5;

const secondsPerYear = 365 * 86_400;

/** What the rule needs of a market (the schema's output before the step is chosen). */
export interface AutoStepMarket {
  readonly horizon: number;
  readonly assets: Readonly<Record<string, { readonly model: { readonly kind: string; readonly jumps?: { readonly up?: { readonly intensity: number } | undefined; readonly down?: { readonly intensity: number } | undefined } } }>>;
  readonly regime?: { readonly calmToStress: number; readonly stressToCalm: number; readonly jumpIntensityMultiplier: number } | undefined;
  readonly stress: readonly { readonly at: number; readonly over: number }[];
  readonly adl?: { readonly within: number } | undefined;
}

export interface StepChoice {
  readonly step: number;
  /** Why this step, in a few words a run's header can show ("8h: the coarsest that ..."). */
  readonly reason: string;
}

const hours = (seconds: number): string => (seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds}s`);

/**
 * The step "auto" resolves to for a market: the largest candidate that divides the horizon and every overlay's `at`
 * and `over`, is at most the ADL window, keeps the expected jumps per step at most 0.5 and regime switches rare, and
 * is 1 h for GARCH-t (whose alpha and beta are per step of the data they were fitted on) and the bootstrap (whose
 * rows are the step). Policies do not bind it: what they set in motion is timed on sub-steps where they act
 * (`policySubStep`). The funding intervals of the venues are applied later, by `lowerStepForFunding`, once the
 * venues are known.
 */
export function chooseAutoStep(market: AutoStepMarket): StepChoice {
  const kinds = Object.values(market.assets).map((a) => a.model.kind);
  if (kinds.includes("garch-t")) return { step: fineAutoStep, reason: "garch-t's alpha and beta are per step of the hourly data they describe" };
  if (kinds.includes("bootstrap")) return { step: fineAutoStep, reason: "the bootstrap's returns are one history row (1 h) apart" };
  const limits: { readonly fits: (step: number) => boolean; readonly why: string }[] = [
    { fits: (step) => market.horizon % step === 0, why: "divides the horizon" },
    { fits: (step) => market.stress.every((o) => o.at % step === 0 && o.over % step === 0), why: "divides every stress overlay's at and over" },
    { fits: (step) => market.adl === undefined || step <= market.adl.within, why: "is at most adl.within" },
    { fits: (step) => expectedJumpsPerStep(market, step) <= maxJumpsPerStep, why: `expects at most ${maxJumpsPerStep} jumps a step` },
    { fits: (step) => regimeSwitchesPerStep(market, step) <= maxRegimeSwitchesPerStep, why: `switches regime in at most ${maxRegimeSwitchesPerStep * 100} % of steps` },
  ];
  for (const step of autoStepCandidates) {
    if (limits.every((limit) => limit.fits(step))) {
      const binding = step === autoStepCandidates[0] ? [] : limits.filter((limit) => !limit.fits(step * 2)).map((limit) => limit.why);
      return { step, reason: binding.length === 0 ? `${hours(step)}: the coarsest candidate; barriers are monitored exactly inside a step` : `${hours(step)}: the coarsest step that ${binding.join(" and ")}` };
    }
  }
  return { step: fineAutoStep, reason: `1h: no coarser step ${limits.filter((limit) => !limit.fits(fineAutoStep)).map((limit) => limit.why).join(" and ") || "fits"}` };
}

/**
 * An auto step lowered, if need be, to the largest candidate that divides every funding interval (seconds) of the
 * route's perps; a step the user wrote is never changed (the plan reports it instead).
 */
export function lowerStepForFunding(choice: StepChoice, fundingIntervals: readonly number[]): StepChoice {
  if (fundingIntervals.every((interval) => interval % choice.step === 0)) return choice;
  const step = autoStepCandidates.find((candidate) => candidate <= choice.step && fundingIntervals.every((interval) => interval % candidate === 0)) ?? fineAutoStep;
  return { step, reason: `${hours(step)}: the coarsest step that divides every funding interval (${[...new Set(fundingIntervals)].map(hours).join(", ")}); before that, ${choice.reason}` };
}

function expectedJumpsPerStep(market: AutoStepMarket, step: number): number {
  const multiplier = Math.max(1, market.regime?.jumpIntensityMultiplier ?? 1);
  let most = 0;
  for (const asset of Object.values(market.assets)) {
    const jumps = asset.model.jumps;
    for (const leg of [jumps?.up, jumps?.down]) most = Math.max(most, ((leg?.intensity ?? 0) * multiplier * step) / secondsPerYear);
  }
  return most;
}

function regimeSwitchesPerStep(market: AutoStepMarket, step: number): number {
  const regime = market.regime;
  return regime === undefined ? 0 : ((regime.calmToStress + regime.stressToCalm) * step) / secondsPerYear;
}
