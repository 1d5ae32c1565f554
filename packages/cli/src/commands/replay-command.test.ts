import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Runs the built binary (`pnpm test` builds first) from the repository root, as the README does.
const root = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(root, "packages/cli/dist/bin/mstress.js");
const mstress = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root });

interface ModeJson {
  liquidated: boolean;
  liquidationPrice: number | null;
  liquidatedAt: number | null;
  loss: number;
  hedgeBroken: boolean;
  distanceAtHorizon: number | null;
  minDistanceToLiquidation: number | null;
  finalEquity: number;
}

describe("mstress replay scenarios/pump-12pct-1h.yaml (docs/domain.md worked example)", () => {
  const run = mstress("replay", "scenarios/pump-12pct-1h.yaml", "--json");
  const result = JSON.parse(run.stdout) as Record<"isolated" | "cross" | "portfolio", ModeJson>;

  it("exits 0 with one result per mode", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(Object.keys(result)).toEqual(["isolated", "cross", "portfolio"]);
  });

  it("liquidates the isolated $3,000 short near $62.7k: $3,000 lost, hedge broken", () => {
    expect(result.isolated.liquidated).toBe(true);
    // Closed form (3000 + 50 + 60000) / 1.005 = 62,736.32; the path crosses it exactly (bisection in time).
    expect(result.isolated.liquidationPrice).toBeCloseTo(62736.32, 1);
    // Linear 60,000 -> 67,200 over 3,600 s crosses 62,736.32 at 3600 * 2736.32 / 7200 = 1,368.2 s.
    expect(result.isolated.liquidatedAt).toBeCloseTo(1368.16, 1);
    expect(result.isolated.loss).toBeCloseTo(3000, 6);
    expect(result.isolated.hedgeBroken).toBe(true);
    expect(result.isolated.finalEquity).toBeCloseTo(7000, 6);
  });

  it("leaves the cross account alive with about 4 % to liquidation", () => {
    expect(result.cross.liquidated).toBe(false);
    expect(result.cross.hedgeBroken).toBe(false);
    // (69,701.49 - 67,200) / 67,200 = 3.72 %; the short is down 7,200: equity 2,800.
    expect(result.cross.distanceAtHorizon).toBeCloseTo(0.03722, 4);
    expect(result.cross.finalEquity).toBeCloseTo(2800, 6);
  });

  it("keeps portfolio margin far out of reach of the 12 % move", () => {
    expect(result.portfolio.liquidated).toBe(false);
    expect(result.portfolio.minDistanceToLiquidation).toBeGreaterThan(1);
  });

  it("prints a table per mode without --json", () => {
    const table = mstress("replay", "scenarios/pump-12pct-1h.yaml");
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/hedge broken\s+yes\s+no\s+no/);
  });
});

describe("mstress replay: bad input", () => {
  const dir = mkdtempSync(join(tmpdir(), "mstress-replay-"));
  const scenario = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const base = `name: t
accounts: [{ name: a, venue: binance-usdm, deposit: 10000 }]
legs: [{ name: s, account: a, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }]
path: { points: [{ t: 0, price: 60000 }, { t: 1h, price: 61000 }] }
`;

  it.each([
    ["malformed YAML", "name: [unclosed\n", /malformed YAML/],
    ["a field of the wrong type", base.replace("qty: 1", "qty: lots"), /bad\.yaml:3:78: legs\.s\.qty: expected a number, got "lots"/],
    ["a negative quantity", base.replace("qty: 1", "qty: -1"), /bad\.yaml:3:78: legs\.s\.qty: expected a value >= 1e-8, got -1/],
    ["an unknown venue", base.replace("binance-usdm", "nowhere"), /accounts\.a\.venue: expected a shipped venue/],
    ["an unknown symbol", base.replace("BTCUSDT", "DOGEUSDT"), /legs\.s\.symbol: expected a symbol venue binance-usdm lists/],
    ["isolated margin above the deposit", base.replace("deposit: 10000", "deposit: 1000"), /accounts\.a\.deposit: expected at least the isolated margin allocated to its legs \(3000\)/],
  ])("%s exits 2 with one line naming the field, and writes nothing", (_label, text, message) => {
    const file = scenario("bad.yaml", text);
    const before = readdirSync(dir).length;
    const run = mstress("replay", file);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(readdirSync(dir)).toHaveLength(before);
  });

  it("an allocation above the deposit is rejected for modes asked on the command line too", () => {
    const file = scenario("over.yaml", base.replace("deposit: 10000", "deposit: 1000").replace("path:", "modes: [cross]\npath:"));
    const run = mstress("replay", file, "--modes", "isolated,cross");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/accounts\.a\.deposit: expected at least the isolated margin allocated to its legs \(3000\), got 1000/);
  });

  it("defaults to the modes the venues offer (no portfolio on Hyperliquid)", () => {
    const file = scenario("hl.yaml", base.replace("binance-usdm", "hyperliquid").replace("BTCUSDT", "BTC"));
    const run = mstress("replay", file, "--json");
    expect(run.status).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout) as object)).toEqual(["isolated", "cross"]);
  });

  it("a directory instead of a scenario file exits 2", () => {
    const run = mstress("replay", dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/scenario: ".*" is a directory; expected a scenario file \(YAML\) of at most 1 MiB/);
  });

  it("a missing scenario file exits 2", () => {
    const run = mstress("replay", join(dir, "absent.yaml"));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/scenario: ".*absent\.yaml" does not exist/);
  });
});
