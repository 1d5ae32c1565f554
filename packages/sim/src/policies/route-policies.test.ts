import { readFileSync } from "node:fs";
import { liquidationPrice, parseScenario, parseVenueProfile, perpetualTerms, type VenueProfile } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { planEvaluation } from "../kernel/evaluation-plan.js";
import { outcomeColumn, outcomeWidth, policyOutcomeColumn } from "../kernel/outcome-fields.js";
import { RouteEvaluator, type EvaluationDetail } from "../kernel/route-evaluator.js";
import { allocateOutputs } from "../kernel/simulate-chunk.js";
import { ScriptedPath } from "../models/scripted-path.js";
import { replayScenario, scriptedGrid, type ReplayModeResult } from "../replay/replay-route.js";
import { scenarioAssets } from "../route/open-route.js";
import type { RouteJournal } from "./route-journal.js";

// The route's rules on scripted paths, where every trigger and its time can be worked out by hand. The paths are
// straight lines: 60,000 -> 67,200 over one hour is M(t) = 60,000 + 2 t. Fees and funding are off unless a test
// says otherwise. A 1 BTC Binance short (bracket 2 from $50k notional: rate 0.5 %, maintenance amount $50) backed
// by collateral C is liquidated when C - (P - 60,000) = 0.005 P - 50, at P = (C + 60,050) / 1.005; its distance
// to liquidation falls below d when the mark reaches P / (1 + d).

const binance = parseVenueProfile(readFileSync(new URL("../../../core/venues/binance-usdm.yaml", import.meta.url), "utf8"), "binance-usdm.yaml");
const venues = new Map<string, VenueProfile>([["binance-usdm", binance]]);
const liquidationAt = (collateral: number): number => (collateral + 60_050) / 1.005;
const timeAt = (price: number): number => (price - 60_000) / 2;

function scenario(body: { accounts?: string; legs?: string; policies: string; costs?: string; points?: string; modes?: string; stress?: string }): string {
  return `name: rules
accounts: ${body.accounts ?? "[{ name: futures, venue: binance-usdm, deposit: 10000 }, { name: reserve, venue: binance-usdm, deposit: 5000 }]"}
legs: ${body.legs ?? `
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }`}
modes: ${body.modes ?? "[isolated]"}
costs: ${body.costs ?? "{ fees: false, funding: false, closeAtHorizon: false }"}
policies: ${body.policies}
path:
  step: 1m
  points: ${body.points ?? "[{ t: 0, price: 60000 }, { t: 1h, price: 67200 }]"}
  stress: ${body.stress ?? "[]"}
`;
}

function replay(text: string, baseline = false): ReplayModeResult[] {
  const parsed = parseScenario(text, "rules.yaml");
  const spec = parsed.path;
  if (spec?.points === undefined) throw new Error("test scenarios use points");
  const path = new ScriptedPath(spec.points, scenarioAssets(parsed, venues), { basis: spec.basis, funding: spec.funding });
  return replayScenario({ scenario: parsed, venues, path }, parsed.modes ?? ["isolated"], baseline);
}

function only(results: readonly ReplayModeResult[]): ReplayModeResult {
  const [result] = results;
  if (result === undefined) throw new Error("no result");
  return result;
}

/** The first evaluation of a one-mode scenario as the Monte Carlo runs it, keeping its ledger, accounts and its first policy's row. */
function evaluated(text: string): { detail: EvaluationDetail; journal: RouteJournal; policyRow: (field: keyof typeof policyOutcomeColumn) => number } {
  const parsed = parseScenario(text, "rules.yaml");
  const spec = parsed.path;
  if (spec?.points === undefined) throw new Error("test scenarios use points");
  const path = new ScriptedPath(spec.points, scenarioAssets(parsed, venues), { basis: spec.basis, funding: spec.funding });
  const { grid, marketPath } = scriptedGrid(parsed, venues, path);
  const plan = planEvaluation({ scenario: parsed, venues, modes: parsed.modes ?? ["isolated"], baseline: false, grid, scriptedAdl: [], adlModel: null });
  const evaluator = new RouteEvaluator(plan, marketPath);
  evaluator.startPath();
  const outputs = allocateOutputs(evaluator.widths, 1, 0);
  const journal: RouteJournal = [];
  const detail = evaluator.evaluate(0, outputs, 0, false, null, journal);
  if (detail === null) throw new Error("no detail");
  return { detail, journal, policyRow: (field) => outputs.policyRows[policyOutcomeColumn[field]] ?? Number.NaN };
}

describe("topUp from the account's free balance (isolated auto-add margin)", () => {
  // $1,000 each time the short's distance falls under 3 %, at most $5,000. With C = 3,000 the trigger is at
  // 62,736.32 / 1.03 = 60,909.05 (t = 454.5 s); each top-up lifts C by 1,000 and the next trigger follows. After
  // five ($8,000 allocated) the next trigger finds nothing left: the reserve is exhausted; the short, now
  // liquidated only at 67,711.44, survives the hour's top of 67,200.
  const text = scenario({ policies: "[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 1000 }, from: free-balance, maxTotal: 5000 }]" });
  const result = only(replay(text));

  it("adds $1,000 at each trigger, at the times the closed form gives", () => {
    const topUps = result.actions.filter((a) => a.action === "top-up");
    expect(topUps).toHaveLength(5);
    topUps.forEach((action, k) => {
      expect(action.amount).toBe(1000);
      expect(action.t).toBeCloseTo(timeAt(liquidationAt(3000 + 1000 * k) / 1.03), 5);
    });
  });

  it("records the reserve exhausted at the sixth trigger and keeps the short alive", () => {
    const exhausted = result.actions.filter((a) => a.action === "reserve-exhausted");
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]?.t).toBeCloseTo(timeAt(liquidationAt(8000) / 1.03), 5);
    expect(result.liquidated).toBe(false);
    expect(result.distanceAtHorizon).toBeCloseTo((liquidationAt(8000) - 67_200) / 67_200, 9);
  });

  it("is the passive route's liquidation without the rule, on the same path", () => {
    const [managed, passive] = replay(text, true);
    expect(managed?.label).toBe("isolated");
    expect(passive?.label).toBe("isolated-passive");
    expect(passive?.liquidatedAt).toBeCloseTo(timeAt(liquidationAt(3000)), 5);
    expect(passive?.actions).toHaveLength(0);
  });
});

describe("topUp by transfer from another account, arriving after a delay", () => {
  const rule = (delay: string): string =>
    `[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 1000 }, from: "account:reserve", delay: ${delay}, cooldown: 1h }]`;

  it("leaves at the trigger, arrives 10 minutes later into the allocation, and moves the liquidation to C = 4,000's price", () => {
    // Out at 454.5 s, in at 1,054.5 s (the short, liquidated at 62,736.32 from t = 1,368.2 s, is still open), then
    // the hour's cooldown outlasts the path: liquidated at 63,731.34 (t = 1,865.7 s), losing the $4,000 backing it.
    // Route PnL: the spot's +7,200 less that $4,000.
    const result = only(replay(scenario({ policies: rule("10m") })));
    const out = result.actions.find((a) => a.action === "transfer-out");
    const arrived = result.actions.find((a) => a.action === "transfer-in");
    expect(out?.t).toBeCloseTo(timeAt(liquidationAt(3000) / 1.03), 5);
    expect(out?.account).toBe("reserve");
    expect(arrived?.t).toBeCloseTo((out?.t ?? 0) + 600, 5);
    expect(arrived?.leg).toBe("short-perp");
    expect(result.liquidatedAt).toBeCloseTo(timeAt(liquidationAt(4000)), 4);
    expect(result.loss).toBeCloseTo(4000, 6);
    expect(result.pnl).toBeCloseTo(7200 - 4000, 6);
  });

  it("arrives too late after 20 minutes: the short is liquidated on its $3,000 and the cash lands in the wallet", () => {
    const result = only(replay(scenario({ policies: rule("20m") })));
    expect(result.liquidatedAt).toBeCloseTo(timeAt(liquidationAt(3000)), 4);
    expect(result.loss).toBeCloseTo(3000, 6);
    const arrived = result.actions.find((a) => a.action === "transfer-in");
    expect(arrived?.leg).toBe("");
    expect(result.accounts.find((a) => a.name === "futures")?.finalEquity).toBeCloseTo(7000 + 1000, 6);
    expect(result.pnl).toBeCloseTo(7200 - 3000, 6);
  });
});

describe("topUp by transfer into a cross account", () => {
  // Cross, $4,000 in the futures wallet backing the lone 1 BTC short (the spot is not collateral in cross):
  // liquidated at (4,000 + 60,050) / 1.005 = 63,731.34 (t = 1,865.67 s), under 3 % at 63,731.34 / 1.03 = 61,875.09
  // (t = 937.54 s). There $8,000 leaves the $10,000 reserve; it lands in the futures wallet 10 minutes later, at
  // t = 1,537.54 s (mark 63,075.09, still short of 63,731.34), and the wallet of $12,000 moves the liquidation to
  // (12,000 + 60,050) / 1.005 = 71,691.54, above the hour's top of 67,200. The hour's cooldown stops a second
  // transfer. At 67,200: futures equity 12,000 - 7,200 = 4,800, reserve 2,000, route PnL 0 (the hedge is whole).
  const rule = (delay: string): string =>
    `[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 8000 }, from: "account:reserve", delay: ${delay}, cooldown: 1h }]`;
  const cross = (delay: string): string =>
    scenario({
      accounts: "[{ name: futures, venue: binance-usdm, deposit: 4000 }, { name: reserve, venue: binance-usdm, deposit: 10000 }]",
      legs: `
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }`,
      modes: "[cross]",
      policies: rule(delay),
    });

  it("grows the wallet after the delay, and the liquidation the passive route meets does not happen", () => {
    const [managed, passive] = replay(cross("10m"), true);
    const out = managed?.actions.find((a) => a.action === "transfer-out");
    const arrived = managed?.actions.find((a) => a.action === "transfer-in");
    expect(out?.t).toBeCloseTo(timeAt(liquidationAt(4000) / 1.03), 5);
    expect(out).toMatchObject({ account: "reserve", amount: 8000 });
    expect(arrived?.t).toBeCloseTo((out?.t ?? 0) + 600, 5);
    // Into the wallet: no allocation in cross.
    expect(arrived).toMatchObject({ account: "futures", leg: "", amount: 8000 });
    expect(managed?.actions.filter((a) => a.action === "transfer-out")).toHaveLength(1);
    expect(managed?.liquidated).toBe(false);
    expect(managed?.distanceAtHorizon).toBeCloseTo(liquidationAt(12_000) / 67_200 - 1, 9);
    expect(managed?.accounts.find((a) => a.name === "futures")?.finalEquity).toBeCloseTo(12_000 - 7200, 6);
    expect(managed?.accounts.find((a) => a.name === "reserve")?.finalEquity).toBeCloseTo(2000, 6);
    expect(managed?.pnl).toBeCloseTo(0, 6);
    // The same path without the rule: liquidated on the $4,000 wallet. Cross closes the short at the liquidation
    // price, 63,731.3 at the 0.1 tick, losing 3,731.3 (no liquidation fee with fees off); the maintenance margin
    // left, 268.7, stays in the wallet (only an isolated allocation's remainder is seized).
    expect(passive?.liquidatedAt).toBeCloseTo(timeAt(liquidationAt(4000)), 4);
    expect(passive?.loss).toBeCloseTo(3731.3, 6);
  });

  it("arrives too late after 20 minutes (t = 2,137.54 s > 1,865.67 s): liquidated on $4,000, then the cash lands in the wallet", () => {
    const result = only(replay(cross("20m")));
    expect(result.liquidatedAt).toBeCloseTo(timeAt(liquidationAt(4000)), 4);
    expect(result.loss).toBeCloseTo(3731.3, 6);
    expect(result.accounts.find((a) => a.name === "futures")?.finalEquity).toBeCloseTo(268.7 + 8000, 6);
    // Spot +7,200, the 3,731.3 lost; the $8,000 only changed accounts.
    expect(result.pnl).toBeCloseTo(7200 - 3731.3, 6);
  });
});

describe("a transfer's fee", () => {
  it("comes out of what was sent: the allocation gains $975 of the $1,000, and the ledger balances", () => {
    // The isolated 10-minute transfer above with fee: 25. $1,000 leaves the reserve at 454.5 s; on arrival at
    // 1,054.5 s the futures wallet takes $1,000 in and pays $25, and $975 goes to the allocation: C = 3,975,
    // liquidated at (3,975 + 60,050) / 1.005 = 63,706.47 (t = 1,853.23 s), losing the $3,975. Wallets after:
    // reserve 5,000 - 1,000 = 4,000; futures 10,000 - 3,000 allocated + 1,000 - 25 - 975 = 7,000. Route PnL:
    // 7,200 - 3,975 - 25 = 3,200. The policy's costs: the $25.
    const { detail, journal, policyRow } = evaluated(
      scenario({ policies: `[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 1000 }, from: "account:reserve", delay: 10m, fee: 25, cooldown: 1h }]` }),
    );
    const arrived = journal.find((a) => a.action === "transfer-in");
    expect(arrived?.t).toBeCloseTo(timeAt(liquidationAt(3000) / 1.03) + 600, 5);
    expect(arrived?.amount).toBe(975);
    const [first] = detail.liquidations;
    expect(first?.t).toBeCloseTo(timeAt(liquidationAt(3975)), 4);
    const wallet = (name: string): number => detail.accounts.find((a) => a.name === name)?.walletBalance() ?? Number.NaN;
    expect(wallet("reserve")).toBe(4000);
    expect(wallet("futures")).toBe(7000);
    expect(policyRow("costs")).toBe(25);
    const totals = detail.ledger.totals();
    expect(totals.transfersOut.toNumber()).toBe(1000);
    expect(totals.transfersIn.toNumber()).toBe(1000);
    expect(totals.transferFees.toNumber()).toBe(25);
    // Conservation (ledger.ts), exact in decimals: deposits + realised PnL - trading fees + funding + spot sales
    // - transfer fees - in flight = balances + liquidation fees + insurance contributions - cover.
    const inflow = totals.deposits.plus(totals.realisedPnl).minus(totals.tradingFees).plus(totals.funding).plus(totals.spotSales).minus(totals.transferFees).minus(totals.transfersOut.minus(totals.transfersIn));
    const held = detail.ledger.totalBalance().plus(totals.liquidationFees).plus(totals.insuranceContributions).minus(totals.insuranceCover);
    expect(inflow.equals(held)).toBe(true);
    expect(detail.ledger.totalBalance().toNumber()).toBe(4000 + 7000);
  });
});

describe("topUp by selling spot (delta kept)", () => {
  it("sells q = 3,000 / mark of spot, buys back q of the short, and adds the proceeds to its allocation", () => {
    // At the trigger (60,909.05) q = 3,000 / 60,909.05 = 0.04925352 BTC (to 1e-8, rounded down). The short's
    // realised loss on q at the fill (the mark at the 0.1 tick) comes out of the allocation, the proceeds go in.
    const result = only(
      replay(scenario({ policies: `[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 3000 }, from: "sell-spot:long-spot", cooldown: 1h }]` })),
    );
    const trigger = liquidationAt(3000) / 1.03;
    const q = Math.floor((3000 / trigger) * 1e8) / 1e8;
    const sold = result.actions.find((a) => a.action === "sell-spot" && a.leg === "long-spot");
    const bought = result.actions.find((a) => a.action === "sell-spot" && a.leg === "short-perp");
    expect(sold?.quantity).toBe(q);
    expect(bought?.quantity).toBe(q);
    expect(sold?.t).toBeCloseTo(timeAt(trigger), 5);
    // Afterwards: 1 - q short, backed by 3,000 - q (fill - 60,000) + proceeds; liquidated at that closed form.
    const fill = Math.round(trigger * 10) / 10;
    const collateral = 3000 - q * (fill - 60_000) + (sold?.amount ?? 0);
    const terms = { ...perpetualTerms(binance, "BTCUSDT"), takerFeeRate: 0, liquidationFeeRate: 0 };
    const price = liquidationPrice({ terms, side: -1, quantity: 1 - q, entryPrice: 60_000, collateral }).liquidationPrice ?? Number.NaN;
    expect(result.liquidationPrice).toBeCloseTo(price, 2);
    expect(result.liquidatedAt).toBeCloseTo(timeAt(price), 3);
  });
});

describe("slippage in proportion to size on a spot-sale top-up", () => {
  it("sells the quantity whose proceeds, net of 5 bps + 1,000 bps per $1m, are the $30,000 asked", () => {
    // Slippage of a trade of notional x: s(x) = 0.0005 + 1e-7 x (1,000 bps per $1m); fees off. At the trigger
    // I = 60,909.05 the sale's notional x must bring x (1 - s(x)) = 30,000 in: 1e-7 x^2 - 0.9995 x + 30,000 = 0,
    // x = (0.9995 - sqrt(0.9995^2 - 0.012)) / 2e-7 = 30,105.7, so s = 35.1 bps, q = x / I = 0.49427 BTC (to 1e-8,
    // down), sold at I (1 - 0.0035106) = 60,695.2. The short buys back q at the mark I (1 + 0.0035106) =
    // 61,122.9 (at the 0.1 tick), realising -q (61,122.9 - 60,000) = -555 from the $3,000 allocation, which gains
    // the $30,000: C = 32,445 on 0.50573 BTC, liquidated only far above the hour's top.
    const result = only(
      replay(
        scenario({
          costs: "{ fees: false, funding: false, closeAtHorizon: false, slippage: { bps: 5, bpsPerMillion: 1000 } }",
          policies: `[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 30000 }, from: "sell-spot:long-spot", cooldown: 1h }]`,
        }),
      ),
    );
    const trigger = liquidationAt(3000) / 1.03;
    const notional = (0.9995 - Math.sqrt(0.9995 * 0.9995 - 4 * 1e-7 * 30_000)) / 2e-7;
    expect(notional).toBeCloseTo(30_105.7, 1);
    const slip = 0.0005 + 1e-7 * notional;
    const q = Math.floor((notional / trigger) * 1e8) / 1e8;
    const sold = result.actions.find((a) => a.action === "sell-spot" && a.leg === "long-spot");
    const bought = result.actions.find((a) => a.action === "sell-spot" && a.leg === "short-perp");
    expect(sold?.quantity).toBe(q);
    expect(bought?.quantity).toBe(q);
    expect(sold?.price).toBeCloseTo(trigger * (1 - slip), 4);
    expect(bought?.price).toBeCloseTo(trigger * (1 + slip), 4);
    // The proceeds fall short of $30,000 only by q's rounding down (under 1e-8 BTC, < $0.001).
    expect(sold?.amount).toBeLessThanOrEqual(30_000);
    expect(sold?.amount).toBeGreaterThan(30_000 - 0.001);
    const collateral = 3000 - q * (Math.round(trigger * (1 + slip) * 10) / 10 - 60_000) + 30_000;
    const terms = { ...perpetualTerms(binance, "BTCUSDT"), takerFeeRate: 0, liquidationFeeRate: 0 };
    const price = liquidationPrice({ terms, side: -1, quantity: 1 - q, entryPrice: 60_000, collateral }).liquidationPrice ?? Number.NaN;
    expect(result.liquidated).toBe(false);
    expect(result.distanceAtHorizon).toBeCloseTo(price / 67_200 - 1, 6);
  });
});

describe("deRisk", () => {
  it("halves the cross short when its distance falls under 2 %, at the closed form's time, then the rest is liquidated later", () => {
    // Cross, $4,000 wallet: liquidated at 64,050 / 1.005 = 63,731.34, under 2 % at 62,481.71 (t = 1,240.9 s).
    // Buying back 0.5 there realises 0.5 x (62,481.7 - 60,000) from the wallet; the 0.5 left (bracket 1: rate
    // 0.4 %, no amount) is liquidated when W - 0.5 (P - 60,000) = 0.002 P, P = (W + 30,000) / 0.502.
    const result = only(
      replay(
        scenario({
          accounts: "[{ name: futures, venue: binance-usdm, deposit: 4000 }]",
          legs: "[{ name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1 }]",
          modes: "[cross]",
          policies: "[{ kind: deRisk, when: { distanceBelow: 0.02 }, reduce: 0.5, cooldown: 1h }]",
        }),
      ),
    );
    const trigger = liquidationAt(4000) / 1.02;
    const action = result.actions.find((a) => a.action === "de-risk");
    expect(action?.t).toBeCloseTo(timeAt(trigger), 4);
    expect(action?.quantity).toBe(0.5);
    const wallet = 4000 - 0.5 * (Math.round(trigger * 10) / 10 - 60_000);
    expect(result.liquidationPrice).toBeCloseTo((wallet + 30_000) / 0.502, 2);
  });
});

describe("exit", () => {
  it("closes the carry at the third settlement in a row that pays the short less than 0 per 8 h", () => {
    // Funding -0.01 % per 8 h on a flat 60,000: the short pays $6 at 8 h, 16 h and 24 h, then the route closes.
    const result = only(
      replay(
        scenario({
          costs: "{ fees: false, funding: true, closeAtHorizon: true }",
          modes: "[cross]",
          policies: "[{ kind: exit, when: { fundingBelow: 0, settlements: 3 } }]",
          points: "[{ t: 0, price: 60000, funding: -0.0001 }, { t: 2d, price: 60000 }]",
        }),
      ),
    );
    const exits = result.actions.filter((a) => a.action === "exit");
    expect(exits.map((a) => a.t)).toEqual([86_400, 86_400, 86_400]);
    expect(exits.map((a) => a.leg).filter((leg) => leg !== undefined)).toEqual(["short-perp", "long-spot"]);
    expect(result.fundingReceived).toBeCloseTo(-18, 9);
  });

  it("closes a lone short when the PnL reaches -$500: at 60,500 on the way up", () => {
    const result = only(
      replay(
        scenario({
          accounts: "[{ name: futures, venue: binance-usdm, deposit: 10000 }]",
          legs: "[{ name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1 }]",
          modes: "[cross]",
          policies: "[{ kind: exit, when: { pnlBelow: -500 } }]",
        }),
      ),
    );
    const close = result.actions.find((a) => a.action === "exit" && a.leg === "short-perp");
    expect(close?.t).toBeCloseTo(250, 4);
    expect(result.pnl).toBeCloseTo(-500, 6);
    expect(result.liquidated).toBe(false);
  });
});

describe("unwind and auto-deleveraging", () => {
  it("sells the spot at the short's liquidation price once the short is gone, realising the loss", () => {
    const result = only(replay(scenario({ policies: "[{ kind: unwind }]" })));
    const sale = result.actions.find((a) => a.action === "unwind");
    expect(sale?.leg).toBe("long-spot");
    expect(sale?.t).toBe(result.liquidatedAt);
    expect(sale?.price).toBeCloseTo(result.liquidationPrice ?? Number.NaN, 6);
    // The $3,000 allocation is gone; the spot's gain up to the liquidation price is realised, not the hour's top.
    expect(result.pnl).toBeCloseTo((result.liquidationPrice ?? 0) - 60_000 - 3000, 6);
  });

  it("closes the profitable short at the mark on a scripted ADL, breaking the hedge, and unwinds the spot 10 minutes later", () => {
    // 60,000 -> 48,000 over the first hour: at 30 min the mark is 54,000 and the short is $6,000 in profit. The
    // unwind sells the spot at 40 min: 52,000 less 5 bps of slippage = 51,974, and the 0.05 % fee on 51,974.
    const text = scenario({
      costs: "{ fees: true, funding: false, closeAtHorizon: true, slippage: { bps: 5 } }",
      points: "[{ t: 0, price: 60000 }, { t: 1h, price: 48000 }, { t: 2h, price: 45000 }]",
      stress: "[{ at: 30m, adl: { legs: [short-perp] } }]",
      policies: "[{ kind: unwind, delay: 10m }]",
    });
    const [managed, passive] = replay(text, true);
    for (const result of [managed, passive]) {
      expect(result?.hedgeBroken).toBe(true);
      expect(result?.hedgeBrokenByAdl).toBe(true);
      expect(result?.adlAt).toBe(1800);
      expect(result?.liquidated).toBe(false);
      expect(result?.actions[0]).toMatchObject({ action: "adl", leg: "short-perp", price: 54_000 });
    }
    expect(managed?.actions[1]).toMatchObject({ action: "unwind", leg: "long-spot", price: 51_974 });
    expect(managed?.actions[1]?.amount).toBeCloseTo(51_974 * (1 - 0.0005), 6);
    // Entry fee 30 on the short; ADL +6,000; spot sold: 51,948.013 - 60,000.
    expect(managed?.pnl).toBeCloseTo(6000 - 30 + 51_974 * (1 - 0.0005) - 60_000, 6);
    // Passive: the naked spot rides to 45,000.
    expect(passive?.pnl).toBeCloseTo(6000 - 30 - 15_000, 6);
  });
});

describe("one evaluator", () => {
  it("gives the replay's figures bit for bit when it runs a scripted path as the Monte Carlo runs its paths (rows only, no journal)", () => {
    const text = scenario({
      costs: "{ fees: true, funding: true, closeAtHorizon: true, slippage: { bps: 5 } }",
      modes: "[isolated, cross]",
      points: "[{ t: 0, price: 60000, funding: 0.0003 }, { t: 6h, price: 63000 }, { t: 20h, price: 55000, basis: 0.002 }, { t: 1d, price: 61000 }]",
      policies: `[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.04 }, add: { toDistance: 0.08 }, from: "account:reserve", delay: 30m }, { kind: unwind }]`,
    });
    const parsed = parseScenario(text, "rules.yaml");
    const spec = parsed.path;
    if (spec?.points === undefined) throw new Error("points");
    const path = new ScriptedPath(spec.points, scenarioAssets(parsed, venues), { basis: spec.basis, funding: spec.funding });
    const replayed = replayScenario({ scenario: parsed, venues, path }, ["isolated", "cross"], true);
    const { grid, marketPath } = scriptedGrid(parsed, venues, path);
    const plan = planEvaluation({ scenario: parsed, venues, modes: ["isolated", "cross"], baseline: true, grid, scriptedAdl: [], adlModel: null });
    const evaluator = new RouteEvaluator(plan, marketPath);
    evaluator.startPath();
    const outputs = allocateOutputs(evaluator.widths, 1, 0);
    plan.evaluations.forEach((_, e) => evaluator.evaluate(e, outputs, 0, false, null));
    replayed.forEach((result, e) => {
      const row = (field: keyof typeof outcomeColumn): number => outputs.rows[e * outcomeWidth + outcomeColumn[field]] ?? Number.NaN;
      expect(result.pnl).toBe(row("pnl"));
      expect(result.loss).toBe(row("loss"));
      expect(result.fundingReceived).toBe(row("fundingReceived"));
      expect(result.tradingFees).toBe(row("tradingFees"));
      expect(result.finalEquity).toBe(row("finalEquity"));
      expect(result.liquidatedAt ?? Number.NaN).toBe(row("liquidatedAt"));
      expect(result.minDistanceToLiquidation ?? Number.NaN).toBe(row("minDistanceToLiquidation"));
    });
    // The rules did act on this path, so the comparison covers them.
    expect(replayed[0]?.actions.some((a) => a.action === "transfer-in")).toBe(true);
  });
});
