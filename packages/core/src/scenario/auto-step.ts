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

/** What the automatic step reads of a policy. */
export interface AutoStepPolicy {
  readonly kind: string;
  readonly from?: string | undefined;
  readonly cooldown?: number | undefined;
}

/**
 * Whether a policy sets in motion something timed inside a step, which caps the step at `policyAutoStep`: every
 * policy but a top-up from the account's own free balance without a cooldown (the venues' auto-add margin). That
 * one acts at its trigger's crossing, inside its own account, and again whenever the mark passes the next trigger:
 * what it does over a path depends only on the mark's running extreme, which the bridge samples exactly at any
 * step (docs/methodology.md, "The default step"; auto-step-figures.test.ts compares it at 8 h with 15 minutes).
 */
export function policiesTimedInsideStep(policies: readonly AutoStepPolicy[]): boolean {
  return policies.some((policy) => !(policy.kind === "topUp" && policy.from === "free-balance" && (policy.cooldown ?? 0) === 0));
}

/**
 * With policies: what a policy sets in motion inside a step (a transfer in flight, a delayed unwind) is timed along
 * the step's path to its worst corner, so a step much longer than a policy's delay under-counts the liquidations
 * that happen while the money is on its way. At 2 h, a 30-minute transfer on the managed carry with frequent pumps
 * gave a cross liquidation probability of 0.1 % [0.02, 0.56] against 3.9 % [2.9, 5.3] at 1 h and 4.4 % [3.3, 5.9] at
 * 30 m (1,000 paths, seed 1; sweep-command.test.ts): the hour is the step the policies' evidence holds at.
 */
export const policyAutoStep = 3600;

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
 * The step "auto" resolves to for a market (and whether the scenario's policies set anything in motion timed inside
 * a step, `policiesTimedInsideStep`): the largest candidate that divides the horizon and every overlay's `at` and
 * `over`, is at most the ADL window, keeps the expected jumps per step at most 0.5 and regime switches rare, is at
 * most 1 h with such policies, and is 1 h for GARCH-t (whose alpha and
 * beta are per step of the data they were fitted on) and the bootstrap (whose rows are the step). The funding
 * intervals of the venues are applied later, by `lowerStepForFunding`, once the venues are known.
 */
export function chooseAutoStep(market: AutoStepMarket, policiesTimed: boolean): StepChoice {
  const kinds = Object.values(market.assets).map((a) => a.model.kind);
  if (kinds.includes("garch-t")) return { step: fineAutoStep, reason: "garch-t's alpha and beta are per step of the hourly data they describe" };
  if (kinds.includes("bootstrap")) return { step: fineAutoStep, reason: "the bootstrap's returns are one history row (1 h) apart" };
  const limits: { readonly fits: (step: number) => boolean; readonly why: string }[] = [
    { fits: (step) => market.horizon % step === 0, why: "divides the horizon" },
    { fits: (step) => market.stress.every((o) => o.at % step === 0 && o.over % step === 0), why: "divides every stress overlay's at and over" },
    { fits: (step) => market.adl === undefined || step <= market.adl.within, why: "is at most adl.within" },
    { fits: (step) => step <= policyAutoStep || !policiesTimed, why: "is at most 1h with policies (what they set in motion is timed inside a step)" },
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
