import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Runs the built binary (`pnpm test` builds first), as run-command.test.ts does.
const root = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(root, "packages/cli/dist/bin/mstress.js");
const mstress = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root });
const work = mkdtempSync(join(tmpdir(), "mstress-validate-"));

const carry = (changes: { legs?: string; accounts?: string; market?: string; extra?: string } = {}): string => `name: carry
accounts: ${changes.accounts ?? "[{ name: futures, venue: binance-usdm, deposit: 10000 }]"}
legs:
${changes.legs ?? `  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }`}
${changes.extra ?? ""}
market:
${changes.market ?? `  horizon: 2d
  step: 1h
  assets:
    BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } }`}
`;

let files = 0;
const scenario = (text: string): string => {
  const file = join(work, `scenario-${++files}.yaml`);
  writeFileSync(file, text);
  return file;
};

describe("mstress validate", () => {
  it("prints one OK line per good file and exits 0", () => {
    const a = scenario(carry());
    const b = scenario(carry({ market: "  horizon: 3d\n  step: 8h\n  assets:\n    BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } }" }));
    const result = mstress("validate", a, b);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      `${a}: OK (mstress run: 2d at 1h steps; modes isolated, cross, portfolio; 2 legs in 1 account)`,
      `${b}: OK (mstress run: 3d at 8h steps; modes isolated, cross, portfolio; 2 legs in 1 account)`,
    ]);
  });

  const bad: [string, string, string][] = [
    ["a negative quantity (schema)", carry({ legs: "  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: -1, isolatedMargin: 3000 }" }), "legs.short-perp.qty"],
    ["a symbol the venue does not list", carry({ legs: "  - { name: short-perp, account: futures, type: perp, symbol: SOLUSDT, side: short, qty: 1, isolatedMargin: 3000 }" }), "legs.short-perp.symbol: expected a symbol venue binance-usdm lists"],
    ["isolated allocation above the deposit", carry({ accounts: "[{ name: futures, venue: binance-usdm, deposit: 2000 }]" }), "accounts.futures.deposit"],
    ["an allocation below the initial margin", carry({ legs: "  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 100 }" }), "legs.short-perp.isolatedMargin: expected at least the initial margin 600.00"],
    ["a step that does not divide the 8 h funding interval", carry({ market: "  horizon: 3d\n  step: 3h\n  assets:\n    BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } }" }), "market.step: expected a step that divides the 8 h funding interval"],
    [
      "a step longer than Hyperliquid's 1 h funding interval",
      carry({
        accounts: "[{ name: hl, venue: hyperliquid, deposit: 10000 }]",
        legs: "  - { name: short-perp, account: hl, type: perp, symbol: BTC, side: short, qty: 1, isolatedMargin: 3000 }",
        extra: "modes: [isolated, cross]",
        market: "  horizon: 2d\n  step: 2h\n  assets:\n    BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } }",
      }),
      "market.step: expected a step that divides the 1 h funding interval of hyperliquid",
    ],
    ["an unknown venue", carry({ accounts: "[{ name: futures, venue: kraken, deposit: 10000 }]" }), "accounts.futures.venue: expected a shipped venue"],
    ["portfolio on a venue without it", carry({ accounts: "[{ name: futures, venue: okx-swap, deposit: 10000 }]", legs: "  - { name: short-perp, account: futures, type: perp, symbol: BTC-USDT-SWAP, side: short, qty: 1, isolatedMargin: 3000 }", extra: "modes: [cross, portfolio]" }), "modes: portfolio is not offered by venue okx-swap"],
    ["a leg on an asset the market does not model", carry({ market: "  horizon: 2d\n  assets:\n    ETH: { price: 3000, model: { kind: gbm, volatility: 0.5 } }" }), "legs.long-spot.asset"],
  ];
  for (const [name, text, field] of bad) {
    it(`fails on ${name}, naming ${field.split(":")[0] ?? ""}, with exit 2`, () => {
      const file = scenario(text);
      const result = mstress("validate", file);
      expect(result.status, result.stdout).toBe(2);
      expect(result.stdout).toBe("");
      // A schema problem carries the field's line and column after the file name; a later check names the field only.
      const [at = "", ...rest] = result.stderr.split(`mstress: ${file}`).slice(1).join("").split(": ");
      expect(at, result.stderr).toMatch(/^(:\d+:\d+)?$/);
      expect(rest.join(": ")).toContain(field);
      expect(result.stderr.trim().split("\n").every((line) => line.startsWith("mstress: "))).toBe(true);
    });
  }

  it("checks every file before failing: the good one's OK line, the bad one's errors", () => {
    const good = scenario(carry());
    const broken = scenario(carry({ legs: "  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: sideways, qty: 1 }" }));
    const result = mstress("validate", broken, good, join(work, "missing.yaml"));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe(`${good}: OK (mstress run: 2d at 1h steps; modes isolated, cross, portfolio; 2 legs in 1 account)\n`);
    expect(result.stderr).toMatch(new RegExp(`${broken}:\\d+:\\d+: legs\\.short-perp\\.side`));
    expect(result.stderr).toContain("missing.yaml");
  });

  it("checks a replay path: every asset priced at every point", () => {
    const file = scenario(`name: two
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: btc, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: eth, account: futures, type: perp, symbol: ETHUSDT, side: long, qty: 20, isolatedMargin: 3000 }
routes: [{ name: btc, legs: [btc] }, { name: eth, legs: [eth] }]
path:
  points: [{ t: 0, prices: { BTC: 60000, ETH: 3000 } }, { t: 1h, prices: { BTC: 61000 } }]
`);
    const result = mstress("validate", file);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${file}(:\\d+:\\d+)?: path\\.points\\.1\\.prices\\.ETH`));
  });

  it("warns, and still passes, when a route's legs do not hedge", () => {
    const file = scenario(carry({ legs: "  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }\n  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 0.5 }" }));
    const result = mstress("validate", file);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${file}: OK`);
    expect(result.stderr).toBe(`mstress: ${file}: warning: legs: route carry's legs do not hedge: net BTC -0.5; expected long and short legs netting to about zero per asset (a directional position is a route of one leg)\n`);
  });

  it("does not warn about a directional route of one leg, nor about legs hedging within 1 %", () => {
    const oneLeg = scenario(carry({ legs: "  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }" }));
    const close = scenario(carry({ legs: "  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }\n  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 0.995 }" }));
    const result = mstress("validate", oneLeg, close);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("warns when the step does not divide a funding interval but funding is off", () => {
    const file = scenario(carry({ extra: "costs: { funding: false }", market: "  horizon: 3d\n  step: 3h\n  assets:\n    BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } }" }));
    const result = mstress("validate", file);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`${file}: warning: market.step: 3h does not divide the 8 h funding interval of binance-usdm`);
  });

  it("times policies on sub-steps of any step, and warns only of a delay under twice the shortest sub-step (1m)", () => {
    const accounts = "[{ name: futures, venue: binance-usdm, deposit: 10000 }, { name: reserve, venue: binance-usdm, deposit: 5000 }]";
    const policy = (delay: string): string => `policies:\n  - { kind: topUp, name: reserve-top-up, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 1000 }, from: account:reserve, delay: ${delay} }`;
    const stepped = (step: string): string => `  horizon: 2d\n${step}  assets:\n    BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } }`;
    const twoHours = scenario(carry({ accounts, extra: policy("30m"), market: stepped("  step: 2h\n") }));
    const automatic = scenario(carry({ accounts, extra: policy("30m"), market: stepped("") }));
    const twoMinutes = scenario(carry({ accounts, extra: policy("2m"), market: stepped("") }));
    const seconds = scenario(carry({ accounts, extra: policy("20s"), market: stepped("") }));
    const quiet = mstress("validate", twoHours, automatic, twoMinutes);
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toContain(`${twoHours}: OK (mstress run: 2d at 2h steps, policies timed on 15m sub-steps;`);
    expect(quiet.stdout).toContain(`${automatic}: OK (mstress run: 2d at 8h steps (auto), policies timed on 15m sub-steps;`);
    expect(quiet.stdout).toContain(`${twoMinutes}: OK (mstress run: 2d at 8h steps (auto), policies timed on 1m sub-steps;`);
    const warned = mstress("validate", seconds);
    expect(warned.status).toBe(0);
    expect(warned.stderr).toBe(`mstress: ${seconds}: warning: policies.reserve-top-up.delay: 20s is under half of the 1m sub-step policies are timed on; liquidations while it is in flight are under-counted: expected a delay of at least 2m\n`);
  });
});
