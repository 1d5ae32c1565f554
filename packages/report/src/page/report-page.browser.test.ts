import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The report of a real run, opened from disk in Debian's chromium: it must load with no console error or warning and
// no network request, draw every chart, and render the scenario's markup as text. The screenshot and a PDF print
// go to test-artifacts/ (git-ignored) for a person to look at.

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(root, "packages/cli/dist/bin/mstress.js");
const artifacts = join(root, "test-artifacts");
const chromiumPath = "/usr/bin/chromium";
const attack = "</script><script>alert(1)</script>";

// Two accounts and two routes, so the per-account and per-route tables have something to show, and limits so the
// gate table does.
const scenario = `# Browser test of the report. ${attack}
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

/** Installs Debian's chromium when it is missing (CI runs as root on a fresh machine), or says why it cannot. */
function ensureChromium(): void {
  if (existsSync(chromiumPath)) return;
  const steps = [["apt-get", ["update"]], ["apt-get", ["install", "-y", "--no-install-recommends", "chromium"]]] as const;
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) {
      const detail = (result.error?.message ?? result.stderr).trim().split("\n").slice(-3).join(" / ");
      throw new Error(`the browser test needs Debian's chromium at ${chromiumPath}; \`${command} ${args.join(" ")}\` failed (exit ${String(result.status)}): ${detail}`);
    }
  }
  if (!existsSync(chromiumPath)) throw new Error(`the browser test needs Debian's chromium at ${chromiumPath}; apt-get installed chromium but ${chromiumPath} is still missing`);
}

function mstress(...args: string[]): void {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root });
  // The run itself may exit 1 or 3 on the gate; only bad input (2) or a crash is a set-up failure.
  if (result.status !== 0 && result.status !== 1 && result.status !== 3) throw new Error(`mstress ${args.join(" ")} exited ${String(result.status)}: ${result.stderr}`);
}

/** What the page says about one chart: its element id, vega-embed's outcome, and how many mark items it drew. */
interface ChartState {
  readonly id: string;
  readonly rendered: string | null;
  readonly marks: number;
}

/** What a page did when opened: every request, console error or warning, dialog, and each chart's state. */
interface Visit {
  readonly requests: string[];
  readonly messages: string[];
  readonly dialogs: string[];
  readonly charts: ChartState[];
  readonly description: string;
}

async function visit(context: BrowserContext, file: string, screenshot: string): Promise<Visit> {
  const seen: Visit = { requests: [], messages: [], dialogs: [], charts: [], description: "" };
  const page = await context.newPage();
  page.on("request", (request) => seen.requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") seen.messages.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => seen.messages.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  // Page-side code as strings: this package compiles without the DOM's types.
  await page.waitForFunction('document.documentElement.getAttribute("data-charts") === "done"', undefined, { timeout: 60_000 });
  const charts = await page.evaluate<ChartState[]>(
    '[...document.querySelectorAll(".chart")].map((e) => ({ id: e.id, rendered: e.getAttribute("data-rendered"), marks: e.querySelectorAll("svg g.role-mark > *").length }))',
  );
  const description = (await page.textContent(".masthead .description")) ?? "";
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${screenshot}.png`), fullPage: true });
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: join(artifacts, `${screenshot}.pdf`), format: "A4", printBackground: true });
  await page.close();
  return { ...seen, charts, description };
}

function expectDrawnCharts(dir: string, charts: readonly ChartState[], atLeast: number): void {
  const specs = readdirSync(join(dir, "charts")).filter((f) => f.endsWith(".vl.json")).map((f) => `chart-${f.replace(".vl.json", "")}`);
  expect(charts.map((c) => c.id).sort()).toEqual(specs.sort());
  expect(charts.length).toBeGreaterThanOrEqual(atLeast);
  for (const chart of charts) {
    expect(chart.rendered, chart.id).toBe("true");
    expect(chart.marks, chart.id).toBeGreaterThan(0);
  }
}

/** No console error or warning, no dialog, and no request but for the page itself (so it works offline). */
function expectQuietOfflineVisit(page: Visit, file: string): void {
  expect(page.messages).toEqual([]);
  expect(page.dialogs).toEqual([]);
  expect(page.requests).toEqual([pathToFileURL(file).href]);
}

describe("report.html in a real browser", () => {
  const work = mkdtempSync(join(tmpdir(), "mstress-browser-"));
  const dir = join(work, "run");
  const sweepDir = join(work, "sweep");
  const trendDir = join(work, "trend");
  let context: BrowserContext | undefined;
  let run: Visit = { requests: [], messages: [], dialogs: [], charts: [], description: "" };
  let sweep: Visit = run;
  let trend: Visit = run;
  let backtest: Visit = run;

  beforeAll(async () => {
    ensureChromium();
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm build\` first (pnpm test does)`);
    const file = join(work, "browser-report.yaml");
    writeFileSync(file, scenario);
    mstress("run", file, "--paths", "300", "--seed", "5", "--workers", "2", "--out", dir);
    mstress("report", dir);
    mstress("sweep", file, "--set", "isolatedMargin=2000,4000", "--set", "vol=0.4,0.8", "--paths", "100", "--seed", "5", "--workers", "2", "--out", sweepDir);
    mstress("run", file, "--paths", "150", "--seed", "6", "--workers", "2", "--out", join(work, "next-night"));
    mstress("trend", dir, join(work, "next-night"), "--out", trendDir);

    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "mstress-chromium-")), {
      executablePath: chromiumPath,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
      viewport: { width: 1280, height: 900 },
    });
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

  it("saves a screenshot and a printed PDF as test artifacts", () => {
    expect(statSync(join(artifacts, "report-page.png")).size).toBeGreaterThan(50_000);
    expect(statSync(join(artifacts, "report-page.pdf")).size).toBeGreaterThan(50_000);
  });

  it("draws the sweep's frontier and heatmap offline, with the scenario's markup as text", () => {
    expectQuietOfflineVisit(sweep, join(sweepDir, "report.html"));
    expectDrawnCharts(sweepDir, sweep.charts, 2);
    expect(sweep.description).toContain(`${attack} <b>not bold</b>`);
  });

  it("draws the trend's charts offline, with the scenario's markup as text", () => {
    expectQuietOfflineVisit(trend, join(trendDir, "trend.html"));
    expectDrawnCharts(trendDir, trend.charts, 2);
    expect(trend.description).toContain(`${attack} <b>not bold</b>`);
  });

  it("draws the backtest's timeline, window PnL and model check offline, with the scenario's markup as text", () => {
    expectQuietOfflineVisit(backtest, join(work, "backtest", "backtest.html"));
    expectDrawnCharts(join(work, "backtest"), backtest.charts, 3);
    expect(backtest.description).toContain(`${attack} <b>not bold</b>`);
  });
});
