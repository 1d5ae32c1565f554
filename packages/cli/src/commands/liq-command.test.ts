import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// These tests run the built binary (`pnpm test` builds first), as a user would.
const bin = fileURLToPath(new URL("../../dist/bin/mstress.js", import.meta.url));
const mstress = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

function liqJson(...args: string[]): Record<string, unknown> {
  const run = mstress("liq", ...args, "--json");
  // The shipped files' figures are older than the staleness limit, so liq warns (one line naming the file).
  expect(run.stderr).toMatch(/^(mstress: warning: \S+\.yaml: its venue figures .*\n)?$/);
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

const workedExample = ["--venue", "binance-usdm", "--symbol", "BTCUSDT", "--side", "short", "--entry", "60000", "--qty", "1"];

describe("mstress liq", () => {
  it("isolated $3,000 short of the worked example liquidates between $62.7k and $63.0k", () => {
    const result = liqJson(...workedExample, "--mode", "isolated", "--margin", "3000");
    // Binance bracket 2 (50k-600k notional: 0.5 %, amount 50): (3000 + 50 + 60000) / 1.005 = 62,736.32.
    expect(result.liquidationPrice).toBeCloseTo(62736.32, 2);
    expect(result.liquidationPrice).toBeGreaterThan(62700);
    expect(result.liquidationPrice).toBeLessThan(63000);
    expect(result.bankruptcyPrice).toBeCloseTo(63000, 6); // 60,000 + 3,000 / 1
    expect(result.bracket).toBe(2);
    expect(result.maintenanceMargin).toBeCloseTo(250, 6); // 60,000 * 0.005 - 50
    expect(result.distancePct).toBeCloseTo(4.5605, 3); // (62,736.32 - 60,000) / 60,000
  });

  it("cross with the whole $10,000 liquidates near $69.6k-69.7k", () => {
    const result = liqJson(...workedExample, "--mode", "cross", "--balance", "10000");
    // (10000 + 50 + 60000) / 1.005 = 69,701.49 (docs/domain.md: "~$69.6k (+16 %)").
    expect(result.liquidationPrice).toBeCloseTo(69701.49, 2);
    expect(result.distancePct).toBeCloseTo(16.169, 2);
    expect(result.method).toBe("closed-form");
  });

  it("portfolio margin nets the spot against the short: liquidation far beyond a 12 % move", () => {
    const result = liqJson(...workedExample, "--mode", "portfolio", "--balance", "10000", "--spot", "1");
    expect(result.method).toBe("numeric");
    expect(result.distancePct).toBeGreaterThan(100);
  });

  it("reproduces Binance's published example with the bracket overrides (docs/venues.md §8 V5)", () => {
    const result = liqJson(
      "--venue", "binance-usdm", "--symbol", "ETHUSDT", "--mode", "isolated", "--side", "long",
      "--entry", "1456.84", "--qty", "3683.979", "--margin", "1535443.01", "--mmr", "0.1", "--maintenance-amount", "135365",
    );
    expect(result.liquidationPrice).toBeCloseTo(1114.78, 2);
  });

  it("a cross account with an extra losing position liquidates closer than alone", () => {
    const alone = liqJson(...workedExample, "--mode", "cross", "--balance", "10000");
    const withLoser = liqJson(...workedExample, "--mode", "cross", "--balance", "10000", "--position", "ETHUSDT:long:1@3000:2500");
    expect(withLoser.method).toBe("numeric");
    expect(withLoser.liquidationPrice).toBeLessThan(alone.liquidationPrice as number);
  });

  it("takes a path to a user's venue file, so a venue is added by adding a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "mstress-venue-"));
    const shipped = readFileSync(new URL("../../../core/venues/binance-usdm.yaml", import.meta.url), "utf8");
    const file = join(dir, "my-desk-venue.yaml");
    writeFileSync(file, shipped.replace(/^name: binance-usdm$/m, "name: my-desk-venue"));
    const result = liqJson("--venue", file, "--symbol", "BTCUSDT", "--side", "short", "--entry", "60000", "--qty", "1", "--mode", "isolated", "--margin", "3000");
    expect(result.venue).toBe("my-desk-venue");
    expect(result.liquidationPrice).toBeCloseTo(62736.32, 2);

    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, shipped.replace(/maintenanceConvention: .*/, "maintenanceConvention: guesswork"));
    const run = mstress("liq", "--venue", broken, "--symbol", "BTCUSDT", "--side", "short", "--entry", "60000", "--qty", "1", "--mode", "isolated", "--margin", "3000");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/broken\.yaml: maintenanceConvention: expected one of "mark-notional"/);
  });

  it("reports the root the account reaches first, whatever the first position's side", () => {
    // Small short first, large long second: the account is net long 9.9 BTC and dies on the way down.
    const result = liqJson(...workedExample.slice(0, 8), "--qty", "0.1", "--mode", "cross", "--balance", "10000", "--position", "BTCUSDT:long:10@60000");
    expect(result.liquidationPrice).toBeLessThan(60000);
    expect(result.distancePct).toBeGreaterThan(0);
    expect(result.distancePct).toBeLessThan(2);
  });

  it("an account already below maintenance is refused with what it lacks, not a price 0 % away", () => {
    // Cross short 1 BTC @ 60,000 with $100: equity 100 against maintenance 60,000 x 0.5 % - 50 = 250 (bracket 2).
    const run = mstress("liq", ...workedExample, "--mode", "cross", "--balance", "100");
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    // The last line is the error (a warning that the shipped venue file is old may come first).
    expect(run.stderr.trimEnd().split("\n").at(-1)).toBe("mstress: --balance: the account is already below maintenance at mark 60,000.00 (equity 100.00, maintenance margin 250.00): a venue would liquidate it now; expected more than 250.00");
    // Isolated $3,000 short whose mark, 64,000, is past its 62,736.32 liquidation price: equity 3,000 - 4,000 = -1,000;
    // maintenance 64,000 x 0.5 % - 50 = 270, so the allocation needed is 3,000 + 270 + 1,000 = 4,270.
    const past = mstress("liq", ...workedExample, "--mode", "isolated", "--margin", "3000", "--mark", "64000");
    expect(past.status).toBe(2);
    expect(past.stderr).toMatch(/--margin: the account is already below maintenance at mark 64,000\.00 \(equity -1,000\.00, maintenance margin 270\.00\).*expected more than 4,270\.00/);
  });

  it("a several-position account is echoed with the one-factor assumption the numeric solve makes", () => {
    const result = liqJson(...workedExample, "--mode", "cross", "--balance", "10000", "--position", "ETHUSDT:long:1@3000:2500");
    expect(result.otherPositions).toEqual([{ symbol: "ETHUSDT", side: "long", qty: 1, entry: 3000, mark: 2500 }]);
    expect(result.assumption).toMatch(/^one factor: every mark in the account moves by the same proportion as BTCUSDT's/);
    const table = mstress("liq", ...workedExample, "--mode", "cross", "--balance", "10000", "--position", "ETHUSDT:long:1@3000:2500");
    expect(table.stdout).toMatch(/other positions\s+ETHUSDT long 1 @ 3,000\.00, mark 2,500\.00/);
    expect(table.stdout).toMatch(/assumption\s+one factor/);
    const single = liqJson(...workedExample, "--mode", "cross", "--balance", "10000");
    expect(single.assumption).toBeNull();
  });

  it("portfolio on a venue without portfolio margin is bad input on --mode", () => {
    const run = mstress("liq", "--venue", "hyperliquid", "--symbol", "BTC", "--mode", "portfolio", "--side", "short", "--entry", "60000", "--qty", "1", "--balance", "10000");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--mode: portfolio is not offered by venue hyperliquid/);
  });

  it("prints a short aligned table without --json", () => {
    const run = mstress("liq", ...workedExample, "--mode", "isolated", "--margin", "3000");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/liquidation price\s+62,736\.32/);
    expect(run.stdout).toMatch(/bracket\s+2 \(rate 0\.500 %/);
  });

  it.each([
    [["--venue", "nowhere", "--symbol", "BTCUSDT", "--mode", "cross", "--side", "short", "--entry", "60000", "--qty", "1", "--balance", "1"], /--venue: expected a shipped venue/],
    [["--venue", "binance-usdm", "--symbol", "DOGEUSDT", "--mode", "cross", "--side", "short", "--entry", "60000", "--qty", "1", "--balance", "1"], /symbol: "DOGEUSDT" is not listed by venue binance-usdm/],
    [[...workedExample.slice(0, 8), "--qty", "-1", "--mode", "isolated", "--margin", "1"], /--qty <qty>' argument '-1' is invalid\. expected a positive number/],
    [[...workedExample, "--mode", "isolated", "--margin", "3000", "--balance", "2000"], /--balance: not used in isolated mode \(it is the account's wallet; an isolated position is backed by its --margin alone\)/],
    [[...workedExample, "--mode", "isolated", "--margin", "3000", "--spot", "1"], /--spot: not used in isolated mode \(it is spot collateral, which only portfolio margin counts\)/],
    [[...workedExample, "--mode", "cross", "--balance", "10000", "--spot", "1"], /--spot: not used in cross mode/],
    [[...workedExample, "--mode", "cross", "--balance", "10000", "--margin", "3000"], /--margin: not used in cross mode \(it is the isolated allocation/],
    [[...workedExample, "--mode", "portfolio", "--balance", "10000", "--margin", "3000"], /--margin: not used in portfolio mode/],
    [[...workedExample, "--mode", "sideways"], /--mode <mode>' argument 'sideways' is invalid/],
  ])("bad input %# exits 2 with one line naming the field", (args, message) => {
    const run = mstress("liq", ...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
