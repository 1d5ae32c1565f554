import { z } from "zod";
import { marginModes } from "../margin/margin-mode.js";
import { durationSchema } from "./duration.js";
import { adlSchema, marketProblems, marketSchema, resolveMarketStep, type MarketSpec } from "./market-schema.js";
import { policyProblems, policySchema, slippageSchema } from "./policy-schema.js";
import { policyName } from "./policy-source.js";
import { sweepSchema } from "./sweep.js";

// The scenario file (YAML). Field names are the domain's; units are stated on each field. The README's
// "Scenario files" section documents this schema; later issues add market models, limits and sweeps.

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' or '-'");
const side = z.enum(["long", "short"]);
/** Quantities, prices and amounts: bounded where float64 risk checks and decimal booking stay exact enough. */
const positiveAmount = z.number().gte(1e-8).lte(1e12);

const account = z.strictObject({
  name,
  /** A shipped venue's name (e.g. binance-usdm) or a path to a venue file, relative to the scenario. */
  venue: z.string().min(1),
  /** Quote-currency (USDT/USDC) deposit into the account's margin wallet. */
  deposit: z.number().nonnegative().lte(1e12),
  /** Pins the account's margin mode; unpinned accounts take each mode the run compares. */
  mode: z.enum(marginModes).optional(),
});

const perpLeg = z.strictObject({
  name,
  account: z.string().min(1),
  type: z.literal("perp"),
  symbol: z.string().min(1),
  side,
  /** Base-asset quantity, e.g. 1 = 1 BTC. */
  qty: positiveAmount,
  /** Quote amount allocated to this position in isolated mode. */
  isolatedMargin: positiveAmount.optional(),
});

const spotLeg = z.strictObject({
  name,
  account: z.string().min(1),
  type: z.literal("spot"),
  asset: z.string().min(1),
  side: z.literal("long"),
  qty: positiveAmount,
});

const leg = z.discriminatedUnion("type", [perpLeg, spotLeg]);

const pathPoint = z
  .strictObject({
    /** Time since the start of the path. */
    t: durationSchema,
    /** Index price of the route's single asset. */
    price: positiveAmount.optional(),
    /** Index prices by asset, for routes on several assets. */
    prices: z.record(z.string().min(1), positiveAmount).optional(),
    /** Perp basis: mark = index * (1 + basis). Linearly interpolated like prices. */
    basis: z.number().gt(-1).lt(1).optional(),
    /** Funding rate per 8 h from this point on (e.g. 0.0001 = 0.01 % per 8 h); an N-hour venue pays rate * N / 8. */
    funding: z.number().gt(-1).lt(1).optional(),
  })
  .refine((p) => (p.price === undefined) !== (p.prices === undefined), { message: "expected exactly one of price or prices" });

const scriptedPath = z.strictObject({
  /** Time between risk checks; a crossing between steps is located exactly on the interpolated path. */
  step: durationSchema.default(60),
  /** Points {t, price | prices, basis?, funding?}, linearly interpolated. */
  points: z.array(pathPoint).min(2).optional(),
  /** Or a CSV file (relative to the scenario) with columns timestamp,price[,funding]. */
  csv: z.string().min(1).optional(),
  /** The asset the CSV's price column is for (default: the route's single asset). */
  asset: z.string().min(1).optional(),
  /** Funding rate per 8 h where a point gives none. */
  funding: z.number().gt(-1).lt(1).default(0),
  /** Basis where a point gives none. */
  basis: z.number().gt(-1).lt(1).default(0),
  /** Scripted events on the path: `{ at, adl: { legs, fraction } }` closes the listed legs, if in profit, at the mark. */
  stress: z.array(z.strictObject({ at: durationSchema, adl: adlSchema })).default([]),
});

/**
 * What a sign-off `limits:` item can bound, per margin mode. The two probabilities are judged on their Wilson
 * interval (a pass needs the whole interval on the right side of the limit); the rest on the point estimate.
 * Amounts are in quote currency: value at risk and expected shortfall as positive losses, maxDrawdownP95 the 95th
 * percentile of the route's largest peak-to-trough fall; minDistanceToLiquidationP05 the 5th percentile of the
 * worst distance to liquidation (a fraction of the mark); aprOnCapital a fraction per year.
 */
export const limitMetrics = [
  "liquidationProbability",
  "hedgeBrokenProbability",
  "aprOnCapital",
  "valueAtRisk95",
  "valueAtRisk99",
  "expectedShortfall95",
  "expectedShortfall99",
  "maxDrawdownP95",
  "minDistanceToLiquidationP05",
  "adlProbability",
  "reserveExhaustedProbability",
  "policyActedProbability",
] as const;
export type LimitMetric = (typeof limitMetrics)[number];
export const probabilityMetrics: readonly LimitMetric[] = ["liquidationProbability", "hedgeBrokenProbability", "adlProbability", "reserveExhaustedProbability", "policyActedProbability"];
/** Metrics of one policy (a limit names it with `policy:`). */
export const policyMetrics: readonly LimitMetric[] = ["reserveExhaustedProbability", "policyActedProbability"];

const limit = z.strictObject({
  mode: z.enum(marginModes),
  metric: z.enum(limitMetrics),
  /** The figure must stay at or below this (a probability: its interval's upper end strictly below). */
  max: z.number().optional(),
  /** The figure must stay at or above this (a probability: its interval's lower end strictly above). */
  min: z.number().optional(),
  /** Two-sided level of a probability's Wilson interval (default 0.95); probability metrics only. */
  confidence: z.number().gt(0).lt(1).optional(),
  /** Bound one account's liquidation probability instead of the mode's. */
  account: z.string().min(1).optional(),
  /** Bound one route's liquidation or hedge-broken probability instead of the mode's. */
  route: z.string().min(1).optional(),
  /** The policy a reserveExhaustedProbability or policyActedProbability limit bounds. */
  policy: z.string().min(1).optional(),
}).superRefine((item, context) => {
  const issue = (path: string[], message: string): void => {
    context.addIssue({ code: "custom", path, message });
  };
  const probability = probabilityMetrics.includes(item.metric);
  if (item.max === undefined && item.min === undefined) issue([], "expected max or min (or both)");
  for (const bound of ["max", "min"] as const) {
    const value = item[bound];
    if (probability && value !== undefined && !(value >= 0 && value <= 1)) issue([bound], `expected a probability in [0, 1] for ${item.metric}, got ${value}`);
  }
  if (item.max !== undefined && item.min !== undefined && item.min > item.max) issue(["min"], `expected at most max (${item.max}), got ${item.min}`);
  if (!probability && item.confidence !== undefined) issue(["confidence"], `applies only to probabilities, not ${item.metric} (judged on its interval in the summary, at the run's 95 % level)`);
  if (item.account !== undefined && item.route !== undefined) issue(["route"], "expected account or route, not both");
  if (item.account !== undefined && item.metric !== "liquidationProbability") issue(["metric"], `expected liquidationProbability for an account's limit, got ${item.metric}`);
  if (item.route !== undefined && !probability) issue(["metric"], `expected liquidationProbability or hedgeBrokenProbability for a route's limit, got ${item.metric}`);
  const forPolicy = policyMetrics.includes(item.metric);
  if (forPolicy && item.policy === undefined) issue(["policy"], `expected the name of the policy ${item.metric} bounds`);
  if (!forPolicy && item.policy !== undefined) issue(["policy"], `applies only to reserveExhaustedProbability and policyActedProbability, not ${item.metric}`);
  if (forPolicy && (item.account !== undefined || item.route !== undefined)) issue(["metric"], `expected no account or route for a policy's limit (${item.metric})`);
});

export const scenarioSchema = z
  .strictObject({
    name,
    description: z.string().default(""),
    accounts: z.array(account).min(1),
    legs: z.array(leg).min(1),
    /** Groups of legs held together for one purpose; default: one route of all legs. */
    routes: z.array(z.strictObject({ name, legs: z.array(z.string().min(1)).min(1) })).optional(),
    /** Margin modes to compare; default: every mode all the scenario's venues offer. */
    modes: z.array(z.enum(marginModes)).min(1).optional(),
    costs: z
      .strictObject({
        /** Taker fees on entry and exit, and liquidation fees. */
        fees: z.boolean().default(true),
        funding: z.boolean().default(true),
        /** Close every open leg at the horizon (paying the exit fee) so final PnL is realised. */
        closeAtHorizon: z.boolean().default(true),
        /** Slippage of every trade after the opening: the policies' trades and the horizon exit. Default none. */
        slippage: slippageSchema.prefault({}),
        /** Fee rate on selling spot (a policy's sale); default the spot leg's venue taker rate. */
        spotFee: z.number().nonnegative().max(0.1).optional(),
      })
      .prefault({}),
    /** Parameter grid for `mstress sweep` (same seed at every point). */
    sweep: sweepSchema.optional(),
    /** Sign-off limits: `mstress run` passes (exit 0), fails (1) or is undecided (3) on them. */
    limits: z.array(limit).optional(),
    /** A scripted path for `mstress replay`. */
    path: scriptedPath.optional(),
    /** Market models for the Monte Carlo (`mstress run`). */
    market: marketSchema.optional(),
    /** The route's rules (top-ups, de-risking, unwinding, exits), run on every path of replay and Monte Carlo alike. */
    policies: z.array(policySchema).default([]),
  })
  .superRefine((scenario, context) => {
    const issue = (path: (string | number)[], message: string): void => {
      context.addIssue({ code: "custom", path, message });
    };
    const accountNames = new Set(scenario.accounts.map((a) => a.name));
    duplicates(scenario.accounts.map((a) => a.name)).forEach((n) => { issue(["accounts"], `account name ${JSON.stringify(n)} is used twice`); });
    duplicates(scenario.legs.map((l) => l.name)).forEach((n) => { issue(["legs"], `leg name ${JSON.stringify(n)} is used twice`); });
    duplicates(scenario.modes ?? []).forEach((m) => { issue(["modes"], `expected each mode once, got ${m} twice`); });
    const legNames = new Set(scenario.legs.map((l) => l.name));
    const modes = scenario.modes ?? marginModes;
    scenario.legs.forEach((l, index) => {
      if (!accountNames.has(l.account)) issue(["legs", index, "account"], `expected one of the accounts (${[...accountNames].join(", ")}), got ${JSON.stringify(l.account)}`);
      if (l.type === "perp" && modes.includes("isolated") && l.isolatedMargin === undefined) {
        issue(["legs", index, "isolatedMargin"], "expected a positive amount: isolated mode is in modes and needs each perp's allocation");
      }
    });
    scenario.accounts.forEach((a, index) => {
      const allocated = scenario.legs.reduce((sum, l) => sum + (l.type === "perp" && l.account === a.name ? (l.isolatedMargin ?? 0) : 0), 0);
      if (modes.includes("isolated") && allocated > a.deposit) {
        issue(["accounts", index, "deposit"], `expected at least the isolated margin allocated to its legs (${allocated}), got ${a.deposit}`);
      }
    });
    scenario.routes?.forEach((route, r) => {
      route.legs.forEach((legName, l) => {
        if (!legNames.has(legName)) issue(["routes", r, "legs", l], `expected one of the legs (${[...legNames].join(", ")}), got ${JSON.stringify(legName)}`);
      });
    });
    if (scenario.path === undefined && scenario.market === undefined) issue([], "expected a path (for replay) or a market (for the Monte Carlo), or both");
    if (scenario.path !== undefined) {
      const { points, csv, step } = scenario.path;
      if ((points === undefined) === (csv === undefined)) issue(["path"], "expected exactly one of points or csv");
      points?.forEach((point, index) => {
        const previous = points[index - 1];
        if (previous !== undefined && point.t <= previous.t) issue(["path", "points", index, "t"], `expected a time after ${previous.t}s (points in time order)`);
      });
      if (points?.[0] !== undefined && points[0].t !== 0) issue(["path", "points", 0, "t"], "expected 0: the path starts at t = 0");
      if (step <= 0) issue(["path", "step"], "expected a positive duration");
    }
    scenario.limits?.forEach((item, index) => {
      limitProblems(scenario, item).forEach(([field, message]) => { issue(["limits", index, ...field], message); });
    });
    policyProblems(scenario, scenario.policies).forEach(([path, message]) => { issue(["policies", ...path], message); });
    const perpLegNames = scenario.legs.filter((l) => l.type === "perp").map((l) => l.name);
    const adlProblems = (overlays: readonly { adl?: { legs: string[] } | undefined }[], at: string[]): void => {
      overlays.forEach((overlay, o) => {
        overlay.adl?.legs.forEach((legName, l) => {
          if (!perpLegNames.includes(legName)) issue([...at, o, "adl", "legs", l], `expected a perp leg (${perpLegNames.join(", ")}), got ${JSON.stringify(legName)}`);
        });
      });
    };
    if (scenario.path !== undefined) adlProblems(scenario.path.stress, ["path", "stress"]);
    if (scenario.market !== undefined) {
      adlProblems(scenario.market.stress, ["market", "stress"]);
      for (const problem of marketProblems(resolveMarketStep(scenario.market))) issue(["market", ...problem.path], problem.message);
      const assets = new Set(Object.keys(scenario.market.assets));
      scenario.legs.forEach((l, index) => {
        if (l.type === "spot" && !assets.has(l.asset)) issue(["legs", index, "asset"], `expected an asset the market models (${[...assets].join(", ")}), got ${JSON.stringify(l.asset)}`);
      });
    }
  });

// A limit must name a mode the scenario compares and an account, route or policy it has.
function limitProblems(
  scenario: { name: string; legs: { name: string; account: string; type: string }[]; routes?: { name: string; legs: string[] }[] | undefined; modes?: string[] | undefined; policies: readonly { kind: string; name?: string | undefined }[] },
  item: z.output<typeof limit>,
): [string[], string][] {
  const problems: [string[], string][] = [];
  const policyNames = scenario.policies.map(policyName);
  if (item.policy !== undefined && !policyNames.includes(item.policy)) problems.push([["policy"], `expected one of the policies (${policyNames.join(", ") || "none"}), got ${JSON.stringify(item.policy)}`]);
  if (scenario.modes !== undefined && !scenario.modes.includes(item.mode)) problems.push([["mode"], `expected one of the scenario's modes (${scenario.modes.join(", ")}), got ${JSON.stringify(item.mode)}`]);
  // Only an account holding a perp can be liquidated, so only such accounts have outcomes of their own.
  const accounts = [...new Set(scenario.legs.filter((l) => l.type === "perp").map((l) => l.account))];
  if (item.account !== undefined && !accounts.includes(item.account)) problems.push([["account"], `expected an account holding a perp leg (${accounts.join(", ")}), got ${JSON.stringify(item.account)}`]);
  if (item.route !== undefined) {
    // Routes as the simulation forms them: the named ones plus each leg outside every route, or one route of all legs named after the scenario.
    const grouped = new Set(scenario.routes?.flatMap((r) => r.legs) ?? []);
    const routes = scenario.routes === undefined ? [scenario.name] : [...scenario.routes.map((r) => r.name), ...scenario.legs.filter((l) => !grouped.has(l.name)).map((l) => l.name)];
    if (!routes.includes(item.route)) problems.push([["route"], `expected one of the routes (${routes.join(", ")}), got ${JSON.stringify(item.route)}`]);
  }
  return problems;
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** A scenario as written (before defaults). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with defaults applied and durations in seconds. */
/** A scenario as the schema reads it, its market's step possibly still "auto". */
export type ScenarioOutput = z.output<typeof scenarioSchema>;

/** A validated scenario, its market's step resolved (`validateScenario` returns this). */
export type Scenario = Omit<ScenarioOutput, "market"> & { readonly market?: MarketSpec | undefined };

/** The scenario with its market's "auto" step resolved. */
export function resolveScenarioStep(scenario: ScenarioOutput): Scenario {
  const { market, ...rest } = scenario;
  return market === undefined ? rest : { ...rest, market: resolveMarketStep(market) };
}
export type ScenarioLeg = Scenario["legs"][number];
export type ScenarioAccount = Scenario["accounts"][number];
export type ScenarioLimit = NonNullable<Scenario["limits"]>[number];
export type PathPoint = NonNullable<NonNullable<Scenario["path"]>["points"]>[number];
export type ScenarioPolicy = Scenario["policies"][number];
