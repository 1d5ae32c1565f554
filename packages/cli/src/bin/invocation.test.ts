import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { carryLegs, carryMarket, repositoryRoot } from "../commands/small-carry.test-support.js";
import { invocationDirectory } from "./invocation-directory.js";

// The README's way to run the CLI is `pnpm -s mstress ...`: pnpm runs the workspace script from the repository
// root, so these tests run it from another directory (`-C` points pnpm at the repository) and check that output
// pipes cleanly and that relative paths are the user's. The script builds first; the build is up to date here.
const pnpm = (cwd: string, ...args: string[]) => spawnSync("pnpm", ["-s", "-C", repositoryRoot, "mstress", ...args], { cwd, encoding: "utf8" });

describe("pnpm -s mstress from the user's directory", () => {
  const work = mkdtempSync(join(tmpdir(), "mstress-invocation-"));
  writeFileSync(join(work, "carry.yaml"), `name: carry\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\nlegs:\n${carryLegs(3000)}\nmarket:\n${carryMarket}\n`);

  it("prints only the command's JSON on stdout, so it pipes into a JSON reader", () => {
    const run = pnpm(work, "liq", "--venue", "binance-usdm", "--symbol", "BTCUSDT", "--mode", "isolated", "--side", "short", "--entry", "60000", "--qty", "1", "--margin", "3000", "--json");
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { liquidationPrice: number }).liquidationPrice).toBeCloseTo(62736.32, 2);
  });

  it("reads file arguments and writes --out relative to the directory the command was typed in", () => {
    const validate = pnpm(work, "validate", "carry.yaml");
    expect(validate.stdout).toMatch(/^carry\.yaml: OK/);
    const run = pnpm(work, "run", "carry.yaml", "--paths", "20", "--workers", "1", "--out", "results-here", "--json");
    expect(run.status).toBe(0);
    expect(existsSync(join(work, "results-here", "summary.json"))).toBe(true);
    expect(existsSync(join(repositoryRoot, "results-here"))).toBe(false);
  });
});

describe("invocationDirectory", () => {
  it("trusts INIT_CWD only from the workspace's own mstress script", () => {
    const script = { npm_lifecycle_event: "mstress", npm_package_name: "mstress-workspace", INIT_CWD: "/home/me/routes" };
    expect(invocationDirectory(script, "/repo")).toBe("/home/me/routes");
    expect(invocationDirectory({ ...script, npm_lifecycle_event: "nightly" }, "/srv/desk")).toBe("/srv/desk");
    expect(invocationDirectory({ ...script, npm_package_name: "desk-tools" }, "/srv/desk")).toBe("/srv/desk");
    expect(invocationDirectory({}, "/srv/desk")).toBe("/srv/desk");
  });
});
