import { z } from "zod";
import { marginModes } from "../margin/margin-mode.js";
import { durationSchema } from "./duration.js";
import { policyName, splitSource } from "./policy-source.js";

// The route's rules (`policies:` in YAML): what the desk's bot does while the route runs. Each policy applies in
// every margin mode the run compares unless `modes:` pins it; replay and the Monte Carlo run the same rules (the
// route evaluator in packages/sim). Amounts are in the quote currency (USDT/USDC), distances are fractions of the
// mark (0.03 = the liquidation price is 3 % away), durations are seconds or strings with a unit.

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' or '-'");
const distanceRange = "expected a fraction of the mark in (0, 1), such as 0.03 for 3 %";
const distance = z.number().gt(0, distanceRange).lt(1, distanceRange);

/** Fires while the distance to liquidation is below this fraction (level-triggered, with the policy's cooldown). */
const distanceTrigger = z.strictObject({ distanceBelow: distance });

/** Where a top-up's margin comes from. */
const topUpSource = z
  .string()
  .regex(/^(free-balance|account:[A-Za-z0-9][A-Za-z0-9._-]*|sell-spot:[A-Za-z0-9][A-Za-z0-9._-]*)$/, "expected free-balance, account:<name> or sell-spot:<spot leg>");

const common = {
  /** Names the policy in the report and in sweeps (`policies.<name>.maxTotal`); default `<kind>-<index>`. */
  name: name.optional(),
  /** The margin modes it applies in; default every mode the run compares. */
  modes: z.array(z.enum(marginModes)).min(1).optional(),
};

const topUp = z.strictObject({
  kind: z.literal("topUp"),
  ...common,
  /** The perp leg whose distance is watched (isolated: its own; cross, portfolio: its account's). */
  leg: z.string().min(1).optional(),
  /** Or the account whose distance is watched (isolated: its nearest position). */
  account: z.string().min(1).optional(),
  when: distanceTrigger,
  /** A fixed amount per action, or as much as brings the distance back to this fraction. */
  add: z.union([z.strictObject({ amount: z.number().positive().max(1e12) }), z.strictObject({ toDistance: distance })]),
  /**
   * free-balance: the account's own wallet into an isolated allocation (the venues' auto-add margin; isolated
   * only). account:<name>: a transfer from another account's wallet. sell-spot:<spot leg>: sell spot and reduce the
   * perp by the same quantity (delta kept), adding the proceeds as margin.
   */
  from: topUpSource,
  /** Transfer time from another account: the money leaves at the trigger and arrives this much later. */
  delay: durationSchema.default(0),
  /** Cost of one transfer from another account, in quote currency, deducted on arrival. */
  fee: z.number().nonnegative().max(1e9).default(0),
  /** The most the policy may move over the horizon (quote currency); past it the reserve is exhausted. */
  maxTotal: z.number().positive().max(1e12).optional(),
  /** Least time between two actions. */
  cooldown: durationSchema.default(0),
});

const reduceRange = "expected a fraction of each leg in (0, 1), such as 0.5, or close";

const deRisk = z.strictObject({
  kind: z.literal("deRisk"),
  ...common,
  /** The route whose legs are reduced; default every route. The trigger is the route's nearest account. */
  route: z.string().min(1).optional(),
  when: distanceTrigger,
  /** Fraction of every leg of the route to sell or buy back (0.5), or `close`. */
  reduce: z.union([z.number().gt(0, reduceRange).lt(1, reduceRange), z.literal("close")]),
  cooldown: durationSchema.default(0),
});

const unwind = z.strictObject({
  kind: z.literal("unwind"),
  ...common,
  route: z.string().min(1).optional(),
  /** When a leg of the route is liquidated or auto-deleveraged, close its other legs this much later. */
  delay: durationSchema.default(0),
});

const exitWhen = z.union([
  /** The route's net funding (per 8 h) stays below `fundingBelow` for `settlements` settlements in a row. */
  z.strictObject({ fundingBelow: z.number().gt(-1).lt(1), settlements: z.number().int().min(1).max(10_000) }),
  /** The scenario's PnL (every route, quote currency) falls to or below this level. */
  z.strictObject({ pnlBelow: z.number().min(-1e12).max(1e12) }),
]);

const exit = z.strictObject({
  kind: z.literal("exit"),
  ...common,
  route: z.string().min(1).optional(),
  when: exitWhen,
});

export const policySchema = z.discriminatedUnion("kind", [topUp, deRisk, unwind, exit]);

/** Slippage of every trade after the opening (policies and the horizon exit): a fixed part and one per $1m traded. */
export const slippageSchema = z.strictObject({
  bps: z.number().nonnegative().max(1000).default(0),
  bpsPerMillion: z.number().nonnegative().max(1000).default(0),
});

export type PolicySpec = z.output<typeof policySchema>;
export type TopUpPolicySpec = Extract<PolicySpec, { kind: "topUp" }>;
export type DeRiskPolicySpec = Extract<PolicySpec, { kind: "deRisk" }>;
export type UnwindPolicySpec = Extract<PolicySpec, { kind: "unwind" }>;
export type ExitPolicySpec = Extract<PolicySpec, { kind: "exit" }>;
export type PolicyKind = PolicySpec["kind"];

interface ScenarioShape {
  readonly name: string;
  readonly accounts: readonly { readonly name: string }[];
  readonly legs: readonly { readonly name: string; readonly account: string; readonly type: string }[];
  readonly routes?: readonly { readonly name: string; readonly legs: readonly string[] }[] | undefined;
  readonly modes?: readonly string[] | undefined;
}

/** The routes as the simulation forms them: the named ones plus each leg left out, or one route named after the scenario. */
export function scenarioRouteNames(scenario: ScenarioShape): string[] {
  if (scenario.routes === undefined) return [scenario.name];
  const grouped = new Set(scenario.routes.flatMap((r) => r.legs));
  return [...scenario.routes.map((r) => r.name), ...scenario.legs.filter((l) => !grouped.has(l.name)).map((l) => l.name)];
}

/** Cross-field checks of the policies against the scenario's accounts, legs, routes and modes: [path, message]. */
export function policyProblems(scenario: ScenarioShape, policies: readonly PolicySpec[]): [(string | number)[], string][] {
  const problems: [(string | number)[], string][] = [];
  const accounts = scenario.accounts.map((a) => a.name);
  const perpLegs = scenario.legs.filter((l) => l.type === "perp");
  const spotLegs = scenario.legs.filter((l) => l.type === "spot");
  const routes = scenarioRouteNames(scenario);
  const list = (names: readonly string[]): string => (names.length === 0 ? "none" : names.join(", "));
  const names = policies.map(policyName);
  policies.forEach((policy, index) => {
    const at = (...path: (string | number)[]): (string | number)[] => [index, ...path];
    if (names.indexOf(names[index] ?? "") !== index) problems.push([at("name"), `policy name ${JSON.stringify(names[index])} is used twice`]);
    policy.modes?.forEach((mode, m) => {
      if (scenario.modes !== undefined && !scenario.modes.includes(mode)) problems.push([at("modes", m), `expected one of the scenario's modes (${scenario.modes.join(", ")}), got ${JSON.stringify(mode)}`]);
    });
    if ("route" in policy && policy.route !== undefined && !routes.includes(policy.route)) {
      problems.push([at("route"), `expected one of the routes (${list(routes)}), got ${JSON.stringify(policy.route)}`]);
    }
    if (policy.kind !== "topUp") return;
    if ((policy.leg === undefined) === (policy.account === undefined)) problems.push([at(), "expected exactly one of leg (a perp leg) or account"]);
    let target: string | undefined;
    if (policy.leg !== undefined) {
      const leg = perpLegs.find((l) => l.name === policy.leg);
      if (leg === undefined) problems.push([at("leg"), `expected a perp leg (${list(perpLegs.map((l) => l.name))}), got ${JSON.stringify(policy.leg)}`]);
      target = leg?.account;
    }
    if (policy.account !== undefined) {
      if (!perpLegs.some((l) => l.account === policy.account)) {
        problems.push([at("account"), `expected an account holding a perp leg (${list([...new Set(perpLegs.map((l) => l.account))])}), got ${JSON.stringify(policy.account)}`]);
      }
      target = policy.account;
    }
    const [sourceKind, sourceName] = splitSource(policy.from);
    if (sourceKind === "account") {
      if (!accounts.includes(sourceName)) problems.push([at("from"), `expected account:<one of ${list(accounts)}>, got ${JSON.stringify(policy.from)}`]);
      else if (sourceName === target) problems.push([at("from"), `expected another account than the one topped up (${sourceName}); for its own wallet use free-balance`]);
    } else {
      if (policy.delay > 0) problems.push([at("delay"), `applies only to a transfer from another account (from: account:<name>), not from ${policy.from}`]);
      if (policy.fee > 0) problems.push([at("fee"), `applies only to a transfer from another account (from: account:<name>), not from ${policy.from}`]);
    }
    if (sourceKind === "sell-spot" && !spotLegs.some((l) => l.name === sourceName)) {
      problems.push([at("from"), `expected sell-spot:<a spot leg: ${list(spotLegs.map((l) => l.name))}>, got ${JSON.stringify(policy.from)}`]);
    }
    // Compared only when both are fractions in range: a typo in one is reported once, on its own field.
    const isFraction = (value: number): boolean => distance.safeParse(value).success;
    if ("toDistance" in policy.add && isFraction(policy.add.toDistance) && isFraction(policy.when.distanceBelow) && policy.add.toDistance <= policy.when.distanceBelow) {
      problems.push([at("add", "toDistance"), `expected more than when.distanceBelow (${policy.when.distanceBelow}), got ${policy.add.toDistance}`]);
    }
  });
  return problems;
}
