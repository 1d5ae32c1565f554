import { describe, expect, it } from "vitest";
import { outcomeFields } from "./mode-outcomes.js";
import type { ModeOutcomes, OutcomeField } from "./mode-outcomes.js";
import { summariseMode } from "./summarise-mode.js";

type Row = Readonly<Record<OutcomeField, number>>;

function outcomesOf(rows: readonly Row[]): ModeOutcomes {
  const columns = Object.fromEntries(
    outcomeFields.map((field) => [field, Float64Array.from(rows, (row) => row[field])]),
  ) as Record<OutcomeField, Float64Array>;
  return { paths: rows.length, columns };
}

const alive = { liquidated: 0, liquidatedAt: NaN, hedgeBroken: 0, hedgeBrokenAt: NaN, loss: 0, liquidationFees: 0 } as const;
const day = 86_400;

// Five paths over one day. Paths 1 and 3 are liquidated (at 1 h and 2 h); on path 1 it also breaks the hedge.
const fivePaths: readonly Row[] = [
  { ...alive, pnl: 120, fundingReceived: 30, tradingFees: 10, capitalEmployed: 1000, minDistanceToLiquidation: 0.2 },
  {
    liquidated: 1, liquidatedAt: 3600, hedgeBroken: 1, hedgeBrokenAt: 3600, loss: 3000, pnl: -3050,
    fundingReceived: 5, tradingFees: 12, liquidationFees: 30, capitalEmployed: 3000, minDistanceToLiquidation: 0,
  },
  { ...alive, pnl: 80, fundingReceived: 20, tradingFees: 10, capitalEmployed: 1000, minDistanceToLiquidation: 0.1 },
  {
    liquidated: 1, liquidatedAt: 7200, hedgeBroken: 0, hedgeBrokenAt: NaN, loss: 500, pnl: -600,
    fundingReceived: -10, tradingFees: 14, liquidationFees: 6, capitalEmployed: 2000, minDistanceToLiquidation: 0,
  },
  { ...alive, pnl: 50, fundingReceived: 15, tradingFees: 9, capitalEmployed: 1000, minDistanceToLiquidation: NaN },
];

describe("summariseMode", () => {
  const summary = summariseMode(outcomesOf(fivePaths), { horizonSeconds: day });

  it("counts liquidations and hedge breaks with 95 % Wilson intervals", () => {
    // 2/5 liquidated = 0.4. Wilson, z² = 3.841459, z²/n = 0.768292, d = 1.768292:
    // centre = (0.4 + 0.384146)/d = 0.443448; half = (1.959964/d)·√(0.048 + 0.038415) = 0.325827 → [0.117621, 0.769276].
    expect(summary.paths).toBe(5);
    expect(summary.liquidations).toBe(2);
    expect(summary.liquidationProbability).toBe(0.4);
    expect(summary.liquidationProbabilityCi[0]).toBeCloseTo(0.117621, 5);
    expect(summary.liquidationProbabilityCi[1]).toBeCloseTo(0.769276, 5);
    // 1/5 = 0.2: centre = (0.2 + 0.384146)/d = 0.330345; half = 1.108394·√(0.032 + 0.038415) = 0.294121
    // → [0.036224, 0.624465].
    expect(summary.hedgeBreaks).toBe(1);
    expect(summary.hedgeBrokenProbability).toBe(0.2);
    expect(summary.hedgeBrokenProbabilityCi[0]).toBeCloseTo(0.036224, 5);
    expect(summary.hedgeBrokenProbabilityCi[1]).toBeCloseTo(0.624465, 5);
  });

  it("reports loss given liquidation and the time to liquidation over the liquidated paths", () => {
    // Losses 3000, 500 → mean 1750; sorted 500, 3000: median h = 0.5 → 1750; p95 h = 0.95 → 500 + 0.95·2500 = 2875.
    // Mean's interval: sd √(2·1250²) = 1767.767, half-width 1.959964·1767.767/√2 = 2449.92. Median's and p95's:
    // with two values the order-statistic ranks (centre 1 or 1.9, spread 1.39 or 0.60) clamp to 1 and 2: [500, 3000].
    const loss = summary.lossGivenLiquidation;
    expect(loss).toMatchObject({ mean: 1750, median: 1750, p95: 2875, medianCi: [500, 3000], p95Ci: [500, 3000] });
    expect(loss?.meanCi?.[0]).toBeCloseTo(1750 - 2449.92, 1);
    expect(loss?.meanCi?.[1]).toBeCloseTo(1750 + 2449.92, 1);
    // Route PnL over the liquidated paths: -3050, -600 → mean -1825, neither in profit. Its interval: sd
    // √(2·1225²) = 1732.412, half-width 1.959964·1732.412/√2 = 2400.96.
    expect(summary.pnlGivenLiquidation).toMatchObject({ mean: -1825, positive: 0 });
    expect(summary.pnlGivenLiquidation?.meanCi?.[0]).toBeCloseTo(-1825 - 2400.96, 1);
    expect(summary.pnlGivenLiquidation?.meanCi?.[1]).toBeCloseTo(-1825 + 2400.96, 1);
    // Times 3600, 7200 → median 5400 s; the hedge broke once, at 3600 s.
    expect(summary.medianTimeToLiquidation).toBe(5400);
    expect(summary.medianTimeToHedgeBreak).toBe(3600);
  });

  it("gives the survival curve on 30 equal steps of the horizon plus t = 0", () => {
    // Step 86,400/30 = 2,880 s. t = 0, 2880: nobody liquidated → 1; t = 5760: the 3600 s path → 4/5;
    // t = 8640 and later: both → 3/5.
    expect(summary.survival).toHaveLength(31);
    expect(summary.survival[0]).toEqual({ t: 0, survival: 1 });
    expect(summary.survival[1]).toEqual({ t: 2880, survival: 1 });
    expect(summary.survival[2]).toEqual({ t: 5760, survival: 0.8 });
    expect(summary.survival[3]).toEqual({ t: 8640, survival: 0.6 });
    expect(summary.survival[30]).toEqual({ t: day, survival: 0.6 });
  });

  it("describes the PnL distribution: mean, sample standard deviation, type-7 quantiles, VaR and ES", () => {
    // PnL 120, −3050, 80, −600, 50: sum −3400, mean −680. Deviations 800, −2370, 760, 80, 730; squares
    // 640,000 + 5,616,900 + 577,600 + 6,400 + 532,900 = 7,373,800; /4 = 1,843,450; √ = 1357.737088.
    expect(summary.pnl.mean).toBeCloseTo(-680, 9);
    expect(summary.pnl.stdDev).toBeCloseTo(1357.737088, 5);
    // Sorted −3050, −600, 50, 80, 120; h = 4p. p01: h 0.04 → −3050 + 0.04·2450 = −2952; p05: h 0.2 → −2560;
    // p25: h 1 → −600; p50: h 2 → 50; p75: h 3 → 80; p95: h 3.8 → 80 + 0.8·40 = 112; p99: h 3.96 → 118.4.
    const q = summary.pnl.quantiles;
    expect(q.p01).toBeCloseTo(-2952, 9);
    expect(q.p05).toBeCloseTo(-2560, 9);
    expect(q.p25).toBe(-600);
    expect(q.p50).toBe(50);
    expect(q.p75).toBe(80);
    expect(q.p95).toBeCloseTo(112, 9);
    expect(q.p99).toBeCloseTo(118.4, 9);
    // VaR = −Q(1 − level): 2560 and 2952. ES: n·α = 0.25 and 0.05, both < 1, so the worst path alone: 3050.
    expect(summary.valueAtRisk.p95).toBeCloseTo(2560, 9);
    expect(summary.valueAtRisk.p99).toBeCloseTo(2952, 9);
    // Both tails hold a single path, too few for ES's interval; VaR 95 %'s order statistics are ranks 1 and 2
    // (centre 0.25, spread 1.96·√0.2375 = 0.955): the quantile in [-3050, -600], the loss in [600, 3050].
    expect(summary.expectedShortfall).toEqual({ p95: 3050, p99: 3050, p95Ci: null, p99Ci: null });
    expect(summary.valueAtRisk.p95Ci).toEqual([600, 3050]);
  });

  it("averages funding, fees and capital, and annualises the return on capital", () => {
    // Funding (30 + 5 + 20 − 10 + 15)/5 = 12; trading fees 55/5 = 11; liquidation fees 36/5 = 7.2.
    // Capital 1000, 3000, 1000, 2000, 1000 → mean 1600, max 3000.
    // APR = (−680/1600)·(365 d / 1 d) = −0.425·365 = −155.125 (i.e. −15,512.5 % a year: two liquidations a day).
    expect(summary.fundingReceived.mean).toBeCloseTo(12, 12);
    expect(summary.tradingFees.mean).toBeCloseTo(11, 12);
    expect(summary.liquidationFees.mean).toBeCloseTo(7.2, 12);
    expect(summary.capitalEmployed.mean).toBeCloseTo(1600, 9);
    expect(summary.capitalEmployed.max).toBe(3000);
    expect(summary.aprOnCapital).toBeCloseTo(-155.125, 9);
  });

  it("splits net funding into what was earned and what was paid", () => {
    // Net funding 30, 5, 20, −10, 15: earned max(f, 0) = 30 + 5 + 20 + 0 + 15 = 70 → 14 a path;
    // paid max(−f, 0) = 10 → 2 a path; 14 − 2 = 12, the net mean.
    expect(summary.fundingEarned.mean).toBeCloseTo(14, 12);
    expect(summary.fundingPaid.mean).toBeCloseTo(2, 12);
  });

  it("summarises max drawdown when the outcomes carry it, and leaves it out otherwise", () => {
    expect(summary).not.toHaveProperty("maxDrawdown");
    // Drawdowns 40, 3200, 25, 700, 10: mean 3975/5 = 795; sorted 10, 25, 40, 700, 3200 (h = 4p):
    // median h 2 → 40; p95 h 3.8 → 700 + 0.8·2500 = 2700; max 3200.
    const outcomes = outcomesOf(fivePaths);
    const withDrawdown = { paths: 5, columns: { ...outcomes.columns, maxDrawdown: Float64Array.of(40, 3200, 25, 700, 10) } };
    const drawdown = summariseMode(withDrawdown, { horizonSeconds: day }).maxDrawdown;
    expect(drawdown?.mean).toBeCloseTo(795, 12);
    expect(drawdown?.median).toBe(40);
    expect(drawdown?.p95).toBeCloseTo(2700, 9);
    expect(drawdown?.max).toBe(3200);
    const negative = { paths: 5, columns: { ...outcomes.columns, maxDrawdown: Float64Array.of(40, -1, 25, 700, 10) } };
    expect(() => summariseMode(negative, { horizonSeconds: day })).toThrow(/maxDrawdown/);
  });

  it("takes distance to liquidation over the paths that had a liquidation price", () => {
    // Non-NaN distances 0.2, 0, 0.1, 0 → sorted 0, 0, 0.1, 0.2 (h = 3p): p05 h 0.15 → 0; median h 1.5 → 0.05.
    expect(summary.minDistanceToLiquidation?.p05).toBe(0);
    expect(summary.minDistanceToLiquidation?.median).toBeCloseTo(0.05, 12);
  });

  it("is plain JSON data and bit-identical when recomputed", () => {
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    const again = summariseMode(outcomesOf(fivePaths), { horizonSeconds: day });
    expect(JSON.stringify(again)).toBe(JSON.stringify(summary));
    expect(again).toStrictEqual(summary);
  });

  it("widens the intervals at a higher confidence", () => {
    const at99 = summariseMode(outcomesOf(fivePaths), { horizonSeconds: day, confidence: 0.99 });
    expect(at99.confidence).toBe(0.99);
    expect(at99.liquidationProbabilityCi[0]).toBeLessThan(summary.liquidationProbabilityCi[0]);
    expect(at99.liquidationProbabilityCi[1]).toBeGreaterThan(summary.liquidationProbabilityCi[1]);
    expect(() => summariseMode(outcomesOf(fivePaths), { horizonSeconds: day, confidence: 1 })).toThrow(RangeError);
  });
});

describe("summariseMode edge cases", () => {
  const quiet: readonly Row[] = [
    { ...alive, pnl: 10, fundingReceived: 12, tradingFees: 2, capitalEmployed: 500, minDistanceToLiquidation: NaN },
    { ...alive, pnl: 20, fundingReceived: 22, tradingFees: 2, capitalEmployed: 500, minDistanceToLiquidation: NaN },
    { ...alive, pnl: 30, fundingReceived: 32, tradingFees: 2, capitalEmployed: 500, minDistanceToLiquidation: NaN },
  ];

  it("with no liquidation: null loss and times, interval starting at 0, survival 1, no distance", () => {
    // Wilson 0/3: centre = (z²/6)/(1 + z²/3) = 0.640243/2.280486 = 0.280749 = half → [0, 0.561497].
    const summary = summariseMode(outcomesOf(quiet), { horizonSeconds: 3600 });
    expect(summary.liquidations).toBe(0);
    expect(summary.liquidationProbability).toBe(0);
    expect(summary.liquidationProbabilityCi[0]).toBe(0);
    expect(summary.liquidationProbabilityCi[1]).toBeCloseTo(0.561497, 5);
    expect(summary.lossGivenLiquidation).toBeNull();
    expect(summary.medianTimeToLiquidation).toBeNull();
    expect(summary.medianTimeToHedgeBreak).toBeNull();
    expect(summary.survival.every((point) => point.survival === 1)).toBe(true);
    expect(summary.minDistanceToLiquidation).toBeNull();
    // PnL 10, 20, 30 on 500 over 1 h: APR = (20/500)·8760 = 350.4.
    expect(summary.aprOnCapital).toBeCloseTo(350.4, 9);
  });

  it("with one path: no standard deviation; with no capital: no APR", () => {
    const [first] = quiet;
    if (first === undefined) throw new Error("fixture has no rows");
    const single = summariseMode(outcomesOf([first]), { horizonSeconds: 3600 });
    expect(single.pnl.stdDev).toBeNull();
    expect(single.pnl.quantiles.p01).toBe(10);
    const unfunded = summariseMode(outcomesOf(quiet.map((row) => ({ ...row, capitalEmployed: 0 }))), { horizonSeconds: 3600 });
    expect(unfunded.aprOnCapital).toBeNull();
    expect(JSON.stringify(unfunded)).not.toMatch(/NaN|Infinity/);
  });

  it("leaves the outcome columns untouched", () => {
    const outcomes = outcomesOf(fivePaths);
    const before = JSON.stringify(Object.values(outcomes.columns).map((column) => Array.from(column)));
    summariseMode(outcomes, { horizonSeconds: day });
    expect(JSON.stringify(Object.values(outcomes.columns).map((column) => Array.from(column)))).toBe(before);
  });

  it("refuses outcomes that break the contract", () => {
    const broken = fivePaths.map((row, path) => (path === 1 ? { ...row, liquidatedAt: NaN } : row));
    expect(() => summariseMode(outcomesOf(broken), { horizonSeconds: day })).toThrow(/liquidatedAt/);
  });
});
