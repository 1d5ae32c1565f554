import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, expectDrawnCharts, expectQuietOfflineVisit, launchChromium, root, visit, type Visit } from "../page/browser-visit.test-support.js";

// calibration.html of a real calibration (the three models on 2022 of the shipped BTC history, with a funding file),
// opened from disk in Debian's chromium: no console error or warning, no request but the page, every chart drawn,
// the recommendation and the YAML block on the page.

describe("calibration.html in a real browser", () => {
  const work = mkdtempSync(join(tmpdir(), "mstress-calibration-browser-"));
  const dir = join(work, "calibration");
  let context: BrowserContext | undefined;
  let page: Visit = { requests: [], messages: [], dialogs: [], charts: [], description: "" };

  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm build\` first (pnpm test does)`);
    const result = spawnSync(process.execPath, [bin, "calibrate", "scenarios/data/btc-usd-1h-2019-2025.csv", "--from", "2022-01-01", "--to", "2023-01-01", "--out", dir], { encoding: "utf8", cwd: root });
    if (result.status !== 0) throw new Error(`mstress calibrate exited ${String(result.status)}: ${result.stderr}`);
    context = await launchChromium();
    page = await visit(context, join(dir, "calibration.html"), "calibration-page");
  }, 10 * 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("loads offline with no console error or warning and draws every chart it wrote a spec for", () => {
    expectQuietOfflineVisit(page, join(dir, "calibration.html"));
    expectDrawnCharts(dir, page.charts, 3);
  });

  it("states the fits and the block to paste", () => {
    // 2022 has 365 x 24 = 8,760 hourly rows, so 8,759 returns between them.
    expect(page.description).toContain("Maximum-likelihood fits of the simulator's price models to 8,759 1h returns");
    const html = readFileSync(join(dir, "calibration.html"), "utf8");
    const json = JSON.parse(readFileSync(join(dir, "calibration.json"), "utf8")) as { recommendation: { model: string } };
    expect(html).toContain(`Recommended: ${json.recommendation.model}`);
    expect(html).toContain("market.assets.BTC, ready to paste");
  });
});
