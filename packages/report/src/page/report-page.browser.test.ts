import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, bin, expectDrawnCharts, expectQuietOfflineVisit, launchChromium, openPage, root, type Visit as PageVisit } from "./browser-visit.test-support.js";

// The report of a real run, opened from disk in Debian's chromium: it must load with no console error or warning and
// no network request, draw every chart, and render the scenario's markup as text. The screenshot and a PDF print
// go to test-artifacts/ (git-ignored) for a person to look at.

const attack = "</script><script>alert(1)</script>";

// Two accounts and two routes, so the per-account and per-route tables have something to show, and limits so the
// gate table does.
const scenario = `# Browser test of the report. ${attack}
# Question: Which mode keeps the carry alive? ${attack}
name: browser-report
description: "A carry and an unrelated short in separate accounts. ${attack} <b>not bold</b>"
accounts:
  - { name: futures, venue: binance-usdm, deposit: 10000 }
  - { name: punt, venue: binance-usdm, deposit: 4000 }
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }
  - { name: punt-short, account: punt, type: perp, symbol: BTCUSDT, side: short, qty: 0.5, isolatedMargin: 2000 }
routes:
  - { name: carry, legs: [short-perp, long-spot] }
  - { name: one-off, legs: [punt-short] }
market:
  horizon: 7d
  step: 1h
  assets:
    BTC:
      price: 60000
      model: { kind: jump-diffusion, volatility: 0.6, jumps: { up: { intensity: 20, mean: 0.04, stdDev: 0.02 }, down: { intensity: 20, mean: -0.04, stdDev: 0.02 } } }
      basis: { mean: 0.0002, stdDev: 0.0008, halfLife: 6h }
      funding: { mean: 0.0001, stdDev: 0.0001, halfLife: 1d, returnCoupling: 0.01 }
limits:
  - { mode: cross, metric: liquidationProbability, max: 0.5 }
  - { mode: portfolio, metric: liquidationProbability, max: 0.001 }
  - { mode: isolated, metric: hedgeBrokenProbability, route: carry, max: 0.02 }
`;

function mstress(...args: string[]): void {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root });
  // The run itself may exit 1 or 3 on the gate; only bad input (2) or a crash is a set-up failure.
  if (result.status !== 0 && result.status !== 1 && result.status !== 3) throw new Error(`mstress ${args.join(" ")} exited ${String(result.status)}: ${result.stderr}`);
}

/** Two axis texts (labels or titles) of one chart whose rendered boxes intersect. */
interface Overlap {
  readonly chart: string;
  readonly texts: readonly [string, string];
}

/** What a reader sees of the layout: overlaps, misaligned columns, lines running out of their box, print layout. */
interface Layout {
  readonly axisOverlaps: Overlap[];
  /** Columns whose header is aligned differently from its cells: "table: header (th left, td right)". */
  readonly misalignedColumns: string[];
  /** pre.source blocks whose text is wider than the block (a line cut off or scrolled). */
  readonly unwrappedSource: number;
  /** Texts of every axis (labels and titles), per chart id. */
  readonly axisTexts: Record<string, string[]>;
  /** Texts drawn as marks (point labels), per chart id. */
  readonly markTexts: Record<string, string[]>;
  /** Fill and stroke colours of every mark, as the browser computed them. */
  readonly markColours: string[];
  /** The page's FAIL colour, as the browser computes it. */
  readonly failColour: string;
  /** Width of each chart's card and of the grid that holds the cards, in CSS pixels. */
  readonly widths: Record<string, { card: number; grid: number }>;
  /** In print (A4): the top of each mode card, and each h2's break-after. */
  readonly printCardTops: number[];
  readonly printHeadingBreaks: string[];
}

/** What a page did when opened (the shared visit's record), with what the run's page is checked for besides. */
interface Visit extends PageVisit {
  /** The text of the page's #question and #least-capital sections ("" when it has none). */
  readonly question: string;
  readonly leastCapital: string;
  readonly layout: Layout;
}

// Page-side code as strings (this package compiles without the DOM's types). Every text of a chart's axes (labels
// and titles; ones Vega hid for overlap have opacity 0 and are left out) is boxed, and each pair is checked for an
// intersection of more than half a pixel either way.
const layoutScript = `(() => {
  const visible = (e) => parseFloat(getComputedStyle(e).opacity) > 0 && e.textContent.trim() !== "";
  const axisOverlaps = [];
  const axisTexts = {};
  const markTexts = {};
  for (const chart of document.querySelectorAll(".chart")) {
    const texts = [...chart.querySelectorAll("g.role-axis text")].filter(visible);
    axisTexts[chart.id] = texts.map((t) => t.textContent);
    markTexts[chart.id] = [...chart.querySelectorAll("g.role-mark text")].filter(visible).map((t) => t.textContent);
    const boxes = texts.map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 0.5 && h > 0.5) axisOverlaps.push({ chart: chart.id, texts: [boxes[i].text, boxes[j].text] });
    }
  }
  const misalignedColumns = [];
  for (const table of document.querySelectorAll("table")) {
    const heads = [...table.querySelectorAll("thead th")];
    const row = [...table.querySelectorAll("tbody tr")].find((tr) => tr.querySelectorAll(":scope > td").length === heads.length);
    if (row === undefined) continue;
    heads.forEach((th, i) => {
      const a = getComputedStyle(th).textAlign, b = getComputedStyle(row.children[i]).textAlign;
      if (a !== b) misalignedColumns.push((table.closest("section")?.id ?? "table") + ": " + th.textContent + " (th " + a + ", td " + b + ")");
    });
  }
  const unwrappedSource = [...document.querySelectorAll("pre.source")].filter((pre) => pre.scrollWidth > pre.clientWidth + 1).length;
  const markColours = [...document.querySelectorAll(".chart g.role-mark > *")].flatMap((e) => [getComputedStyle(e).fill, getComputedStyle(e).stroke]);
  const probe = document.createElement("span");
  probe.style.color = "var(--fail)";
  document.body.appendChild(probe);
  const failColour = getComputedStyle(probe).color;
  probe.remove();
  const widths = {};
  for (const chart of document.querySelectorAll(".chart")) widths[chart.id] = { card: chart.closest("figure").getBoundingClientRect().width, grid: chart.closest(".charts").getBoundingClientRect().width };
  return { axisOverlaps, misalignedColumns, unwrappedSource, axisTexts, markTexts, markColours, failColour, widths };
})()`;

const printScript = `({ printCardTops: [...document.querySelectorAll(".card")].map((c) => Math.round(c.getBoundingClientRect().top)), printHeadingBreaks: [...document.querySelectorAll("h2")].map((h) => getComputedStyle(h).breakAfter) })`;

async function visit(context: BrowserContext, file: string, screenshot: string): Promise<Visit> {
  const { page, seen } = await openPage(context, file);
  const question = await page.evaluate<string>('document.querySelector("#question")?.textContent ?? ""');
  const leastCapital = await page.evaluate<string>('document.querySelector("#least-capital")?.textContent ?? ""');
  const onScreen = await page.evaluate<Omit<Layout, "printCardTops" | "printHeadingBreaks">>(layoutScript);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${screenshot}.png`), fullPage: true });
  // A4 at 96 dpi less the 12 mm margins: the width the printed page lays out in.
  await page.setViewportSize({ width: 703, height: 1000 });
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate<Pick<Layout, "printCardTops" | "printHeadingBreaks">>(printScript);
  await page.pdf({ path: join(artifacts, `${screenshot}.pdf`), format: "A4", printBackground: true });
  await page.close();
  return { ...seen, question, leastCapital, layout: { ...onScreen, ...printed } };
}

describe("report.html in a real browser", () => {
  const work = mkdtempSync(join(tmpdir(), "mstress-browser-"));
  const dir = join(work, "run");
  const sweepDir = join(work, "sweep");
  const trendDir = join(work, "trend");
  let context: BrowserContext | undefined;
  const noLayout: Layout = { axisOverlaps: [], misalignedColumns: [], unwrappedSource: 0, axisTexts: {}, markTexts: {}, markColours: [], failColour: "", widths: {}, printCardTops: [], printHeadingBreaks: [] };
  let run: Visit = { requests: [], messages: [], dialogs: [], charts: [], description: "", question: "", leastCapital: "", layout: noLayout };
  let sweep: Visit = run;
  let trend: Visit = run;
  let backtest: Visit = run;

  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm build\` first (pnpm test does)`);
    const file = join(work, "browser-report.yaml");
    writeFileSync(file, scenario);
    mstress("run", file, "--paths", "300", "--seed", "5", "--workers", "2", "--out", dir);
    mstress("report", dir);
    mstress("sweep", file, "--set", "isolatedMargin=2000,4000", "--set", "vol=0.4,0.8", "--paths", "100", "--seed", "5", "--workers", "2", "--out", sweepDir);
    mstress("run", file, "--paths", "150", "--seed", "6", "--workers", "2", "--out", join(work, "next-night"));
    mstress("trend", dir, join(work, "next-night"), "--out", trendDir);

    context = await launchChromium();
    run = await visit(context, join(dir, "report.html"), "report-page");
    sweep = await visit(context, join(sweepDir, "report.html"), "sweep-page");
    trend = await visit(context, join(trendDir, "trend.html"), "trend-page");
    mstress("backtest", file, "--history", "scenarios/data/btc-usd-1h-2019-2025.csv", "--from", "2020-01-01", "--to", "2020-07-01", "--against", dir, "--out", join(work, "backtest"));
    backtest = await visit(context, join(work, "backtest", "backtest.html"), "backtest-page");
  }, 15 * 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("loads with no console error or warning, no dialog, and no request but the page itself", () => {
    expectQuietOfflineVisit(run, join(dir, "report.html"));
  });

  it("draws marks in every chart the run wrote a spec for", () => {
    expectDrawnCharts(dir, run.charts, 6);
  });

  it("shows the scenario's markup as text", () => {
    expect(run.description).toContain(`${attack} <b>not bold</b>`);
  });

  it("opens with the scenario's question, as text, and the answer the run gives", () => {
    expect(run.question).toContain(`Question. Which mode keeps the carry alive? ${attack}`);
    expect(run.question).toMatch(/What the run says\. Safest: \w+ is liquidated on [\d.]+ % \[[\d.]+ %, [\d.]+ %\] of paths, APR on capital/);
    expect(run.question).toContain("Against the scenario's limits:");
  });

  it("saves a screenshot and a printed PDF as test artifacts", () => {
    expect(statSync(join(artifacts, "report-page.png")).size).toBeGreaterThan(50_000);
    expect(statSync(join(artifacts, "report-page.pdf")).size).toBeGreaterThan(50_000);
  });

  it("draws the sweep's frontier and heatmap offline, with the scenario's markup as text", () => {
    expectQuietOfflineVisit(sweep, join(sweepDir, "report.html"));
    expectDrawnCharts(sweepDir, sweep.charts, 2);
    expect(sweep.description).toContain(`${attack} <b>not bold</b>`);
  });

  it("sweep page: names each mode's least capital under the level, or why there is none", () => {
    // 100 paths per point cannot show any probability under 1 %: every mode says how many paths it needs.
    expect(sweep.leastCapital).toContain("Least capital under the level");
    expect(sweep.leastCapital).toContain("none can be shown under it at 100 paths per point: even a point without a liquidation needs 381");
  });

  it("draws the trend's charts offline, with the scenario's markup as text", () => {
    expectQuietOfflineVisit(trend, join(trendDir, "trend.html"));
    expectDrawnCharts(trendDir, trend.charts, 2);
    expect(trend.description).toContain(`${attack} <b>not bold</b>`);
  });

  it("lays every page out readably: no axis text over another, headers aligned with their columns, scenario lines wrapped", () => {
    for (const page of [run, sweep, trend]) {
      expect(page.layout.axisOverlaps).toEqual([]);
      expect(page.layout.misalignedColumns).toEqual([]);
      expect(page.layout.unwrappedSource).toBe(0);
    }
    // The scenario's longest line is wider than the page: it is there, and wraps.
    expect(scenario.split("\n").some((line) => line.length > 150)).toBe(true);
  });

  it("run page: money in the venue's USDT, colour-blind-safe mode colours that are never the FAIL red, limits drawn", () => {
    const titles = Object.values(run.layout.axisTexts).flat();
    expect(titles).toContain("final PnL (USDT)");
    expect(titles).toContain("route PnL (USDT)");
    expect(titles).toContain("mean per path (USDT)");
    expect(titles.some((t) => t.includes("quote currency"))).toBe(false);
    expect(run.layout.failColour).toBe("rgb(166, 27, 41)");
    expect(run.layout.markColours.length).toBeGreaterThan(100);
    expect(run.layout.markColours).not.toContain(run.layout.failColour);
    // Okabe-Ito orange, blue and bluish green: isolated, cross, portfolio.
    for (const colour of ["rgb(230, 159, 0)", "rgb(0, 114, 178)", "rgb(0, 158, 115)"]) expect(run.layout.markColours).toContain(colour);
  });

  it("run page prints on A4 with the mode cards side by side and every heading kept with what follows it", () => {
    expect(run.layout.printCardTops).toHaveLength(3);
    expect(new Set(run.layout.printCardTops).size).toBe(1);
    expect(run.layout.printHeadingBreaks.length).toBeGreaterThan(3);
    for (const breakAfter of run.layout.printHeadingBreaks) expect(breakAfter).toBe("avoid");
  });

  it("sweep page: the frontier spans the page, its points labelled with their grid values, one panel per market value", () => {
    const frontier = sweep.layout.widths["chart-sweep-frontier"];
    expect(frontier?.card).toBeGreaterThan(0.97 * (frontier?.grid ?? Infinity));
    const labels = sweep.layout.markTexts["chart-sweep-frontier"] ?? [];
    expect(labels.some((text) => text.includes("2000"))).toBe(true);
    expect(labels.some((text) => text.includes("4000"))).toBe(true);
    const axes = sweep.layout.axisTexts["chart-sweep-frontier"] ?? [];
    expect(axes.filter((t) => t === "liquidation probability")).toHaveLength(2); // the vol=0.4 and vol=0.8 panels
  });

  it("trend page: each run on the axis by its number and start time to the second", () => {
    const labels = (trend.layout.axisTexts["chart-trend-liquidation"] ?? []).filter((t) => t.startsWith("#"));
    expect(labels).toHaveLength(2);
    for (const label of labels) expect(label).toMatch(/^#[12] \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  it("draws the backtest's timeline, window PnL and model check offline, with the scenario's markup as text", () => {
    expectQuietOfflineVisit(backtest, join(work, "backtest", "backtest.html"));
    expectDrawnCharts(join(work, "backtest"), backtest.charts, 3);
    expect(backtest.description).toContain(`${attack} <b>not bold</b>`);
  });
});
