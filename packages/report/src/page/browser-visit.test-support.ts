import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

// What the browser tests share: Debian's chromium (installed when missing), a visit that records every request,
// console message and dialog and what each chart drew, and the checks every page must pass. The screenshot and a
// PDF print of each page go to test-artifacts/ (git-ignored) for a person to look at.

export const root = fileURLToPath(new URL("../../../../", import.meta.url));
export const bin = join(root, "packages/cli/dist/bin/mstress.js");
export const artifacts = join(root, "test-artifacts");
const chromiumPath = "/usr/bin/chromium";

/** Installs Debian's chromium when it is missing (CI runs as root on a fresh machine), or says why it cannot. */
export function ensureChromium(): void {
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

/** What the page says about one chart: its element id, vega-embed's outcome, and how many mark items it drew. */
export interface ChartState {
  readonly id: string;
  readonly rendered: string | null;
  readonly marks: number;
}

/** What a page did when opened: every request, console error or warning, dialog, and each chart's state. */
export interface Visit {
  readonly requests: string[];
  readonly messages: string[];
  readonly dialogs: string[];
  readonly charts: ChartState[];
  readonly description: string;
}

/**
 * Opens a page from disk and waits until every chart has settled, recording every request, console error or
 * warning and dialog from the start; returns the open page with what it did so far (the caller closes it).
 */
export async function openPage(context: BrowserContext, file: string): Promise<{ readonly page: Page; readonly seen: Visit }> {
  const requests: string[] = [];
  const messages: string[] = [];
  const dialogs: string[] = [];
  const page = await context.newPage();
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") messages.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => messages.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  // Page-side code as strings: this package compiles without the DOM's types.
  await page.waitForFunction('document.documentElement.getAttribute("data-charts") === "done"', undefined, { timeout: 60_000 });
  const charts = await page.evaluate<ChartState[]>(
    '[...document.querySelectorAll(".chart")].map((e) => ({ id: e.id, rendered: e.getAttribute("data-rendered"), marks: e.querySelectorAll("svg g.role-mark > *").length }))',
  );
  const description = (await page.textContent(".masthead .description")) ?? "";
  return { page, seen: { requests, messages, dialogs, charts, description } };
}

/** Opens a page (`openPage`), saves its screenshot and an A4 PDF print to test-artifacts/, and closes it. */
export async function visit(context: BrowserContext, file: string, screenshot: string): Promise<Visit> {
  const { page, seen } = await openPage(context, file);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${screenshot}.png`), fullPage: true });
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: join(artifacts, `${screenshot}.pdf`), format: "A4", printBackground: true });
  await page.close();
  return seen;
}

export function expectDrawnCharts(dir: string, charts: readonly ChartState[], atLeast: number): void {
  const specs = readdirSync(join(dir, "charts")).filter((f) => f.endsWith(".vl.json")).map((f) => `chart-${f.replace(".vl.json", "")}`);
  expect(charts.map((c) => c.id).sort()).toEqual(specs.sort());
  expect(charts.length).toBeGreaterThanOrEqual(atLeast);
  for (const chart of charts) {
    expect(chart.rendered, chart.id).toBe("true");
    expect(chart.marks, chart.id).toBeGreaterThan(0);
  }
}

/** No console error or warning, no dialog, and no request but for the page itself (so it works offline). */
export function expectQuietOfflineVisit(page: Visit, file: string): void {
  expect(page.messages).toEqual([]);
  expect(page.dialogs).toEqual([]);
  expect(page.requests).toEqual([pathToFileURL(file).href]);
}

/** Debian's chromium, headless, offline-minded, with a fresh profile. */
export function launchChromium(): Promise<BrowserContext> {
  ensureChromium();
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "mstress-chromium-")), {
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1280, height: 900 },
  });
}
