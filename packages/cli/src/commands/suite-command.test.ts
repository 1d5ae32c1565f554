import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { carryLegs, carryScenario, mstress, mstressBin, repositoryRoot } from "./small-carry.test-support.js";

// mstress suite end to end on the small 4-day carry at 200 paths: the verdicts below follow from the limits by
// construction, not from figures read off a run.
// - "pass": portfolio liquidation probability <= 5 % (the carry's portfolio account nets the spot against the
//   short; mstress trend's test passes the same limit on the same carry).
// - "undecided": portfolio <= 0.1 %: with no liquidation in 200 paths the 95 % Wilson interval is [0, 1.88 %]
//   (upper bound z^2 / (n + z^2) = 3.84 / 203.84), which neither lies under 0.1 % nor above it.
// - "fail": isolated <= 1 %: with $3,000 isolated the short is liquidated on roughly half the paths (its interval
//   lies far above 1 %).

const work = mkdtempSync(join(tmpdir(), "mstress-suite-"));
const attack = "</script><script>alert(1)</script>";

const carry = (name: string, isolatedMargin: number, limit: string): string =>
  carryScenario(name, isolatedMargin, { header: `# Question: Does the ${name} carry hold? ${attack}\n# Answer: By its limit.`, description: `${attack} <b>not bold</b>`, limits: [limit] });
const passLimit = "{ mode: portfolio, metric: liquidationProbability, max: 0.05 }";
const undecidedLimit = "{ mode: portfolio, metric: liquidationProbability, max: 0.001 }";
const failLimit = "{ mode: isolated, metric: liquidationProbability, max: 0.01 }";
const replayOnly = `name: scripted
accounts:
  - { name: futures, venue: binance-usdm, deposit: 10000 }
legs:
${carryLegs(3000)}
path:
  step: 1m
  points: [{ t: 0, price: 60000 }, { t: 1h, price: 67200 }]
`;

function library(dir: string, files: Record<string, string>): string {
  const path = join(work, dir);
  mkdirSync(path, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
  return path;
}

interface SuiteJson {
  outcome: string;
  exitCode: number;
  counts: Record<string, number>;
  scenarios: {
    name: string;
    status: string;
    verdict: string | null;
    reason: string | null;
    directory: string | null;
    previous: { scenarioChanged: boolean; sameDraws: boolean } | null;
    modes: { mode: string; liquidationProbabilityCi: [number, number]; liquidationProbabilityMove: string | null; previous: { liquidationProbabilityCi: [number, number] } | null }[];
  }[];
}
const suiteJson = (dir: string): SuiteJson => JSON.parse(readFileSync(join(dir, "suite.json"), "utf8")) as SuiteJson;
const scenarioOf = (suite: SuiteJson, name: string) => suite.scenarios.find((s) => s.name === name);
const run = (...args: string[]) => mstress("suite", ...args, "--paths", "200", "--seed", "night");

describe("mstress suite: one night of several routes", () => {
  const night1Library = library("library-1", { "pass.yaml": carry("pass", 3000, passLimit), "undecided.yaml": carry("undecided", 3000, undecidedLimit), "scripted.yaml": replayOnly });
  const night1 = join(work, "night-1");
  const first = run(night1Library, "--out", night1, "--jobs", "2");

  it("runs every Monte Carlo scenario of a directory into <out>/<name>/, skips a replay-only one, and exits by the worst verdict", () => {
    expect(first.status, first.stderr).toBe(3);
    expect(readdirSync(night1).sort()).toEqual(["charts", "index.html", "manifest.json", "pass", "suite.csv", "suite.json", "undecided"]);
    const suite = suiteJson(night1);
    expect(suite.outcome).toBe("undecided");
    expect(suite.scenarios.map((s) => `${s.name} ${s.status} ${String(s.verdict)}`)).toEqual(["pass ran pass", "scripted skipped null", "undecided ran undecided"]);
    expect(scenarioOf(suite, "scripted")?.reason).toContain("only a scripted path");
    expect(first.stdout).toMatch(/undecided \(exit 3\)/);
  }, 120_000);

  it("writes each route's summary.json as a standalone mstress run with the same seed and paths, to the byte", () => {
    const single = join(work, "single-pass");
    const alone = mstress("run", join(night1Library, "pass.yaml"), "--paths", "200", "--seed", "night", "--out", single, "--workers", "1");
    expect(alone.status, alone.stderr).toBe(0);
    for (const file of ["summary.json", "outcomes.csv", "scenario.yaml"]) expect(readFileSync(join(night1, "pass", file), "utf8"), file).toBe(readFileSync(join(single, file), "utf8"));
  }, 60_000);

  it("shows every string from a scenario as text on the index, and links each route to its report", () => {
    const page = readFileSync(join(night1, "index.html"), "utf8");
    expect(page.includes("<b>not bold</b>")).toBe(false);
    expect(page.includes("alert(1)</script>")).toBe(false);
    expect(page.includes("Does the pass carry hold? &#60;/script&#62;")).toBe(true);
    for (const name of ["pass", "undecided"]) {
      expect(page.includes(`href="${name}/report.html"`)).toBe(true);
      expect(existsSync(join(night1, name, "report.html"))).toBe(true);
    }
    const csv = readFileSync(join(night1, "suite.csv"), "utf8").trim().split("\n");
    // A row per route and mode (3 modes each), and one for the skipped scenario.
    expect(csv).toHaveLength(1 + 3 + 3 + 1);
  });

  // The next night: "pass" now gives its isolated leg $8,000 (a move far beyond 200-path intervals), "undecided"
  // is unchanged (same file, seed and paths: the same draws), "fail" is new, and a broken file joins the library.
  const night2Library = library("library-2", {
    "pass.yaml": carry("pass", 8000, passLimit),
    "undecided.yaml": carry("undecided", 3000, undecidedLimit),
    "fail.yaml": carry("fail", 3000, failLimit),
    "broken.yaml": carry("broken", 3000, passLimit).replace("qty: 1, isolatedMargin", "qty: -1, isolatedMargin"),
  });
  const night2 = join(work, "night-2");

  it("runs the others when one scenario is bad input, names it, and exits 2", () => {
    const second = run(night2Library, "--out", night2, "--previous", night1);
    expect(second.status, second.stderr).toBe(2);
    expect(second.stderr).toMatch(/mstress: suite: bad input: broken \(the others ran/);
    const suite = suiteJson(night2);
    expect(suite.scenarios.map((s) => `${s.name} ${s.status} ${String(s.verdict)}`)).toEqual(["broken bad input null", "fail ran fail", "pass ran pass", "undecided ran undecided"]);
    expect(scenarioOf(suite, "broken")?.reason).toMatch(/legs\.short-perp\.qty/);
    expect(readdirSync(night2).sort()).toEqual(["charts", "fail", "index.html", "manifest.json", "pass", "suite.csv", "suite.json", "undecided"]);
    expect(readFileSync(join(night2, "index.html"), "utf8")).toContain("legs.short-perp.qty");
  }, 120_000);

  it("reads moves since --previous as mstress trend does: intervals that do not overlap", () => {
    const suite = suiteJson(night2);
    const pass = scenarioOf(suite, "pass");
    const undecided = scenarioOf(suite, "undecided");
    expect(pass?.previous).toEqual({ directory: join(night1, "pass"), verdict: "pass", scenarioChanged: true, sameDraws: true });
    expect(undecided?.previous?.scenarioChanged).toBe(false);
    expect(scenarioOf(suite, "fail")?.previous).toBeNull();
    // Each move is checked against the two nights' own intervals.
    const apart = (a: [number, number], b: [number, number]): boolean => b[0] > a[1] || b[1] < a[0];
    for (const mode of pass?.modes ?? []) {
      const before = mode.previous?.liquidationProbabilityCi ?? [Number.NaN, Number.NaN];
      const now = mode.liquidationProbabilityCi;
      expect(mode.liquidationProbabilityMove, mode.mode).toBe(apart(before, now) ? (now[0] > before[1] ? "up" : "down") : "within sampling error");
    }
    expect(pass?.modes.find((m) => m.mode === "isolated")?.liquidationProbabilityMove).toBe("down");
    // Same file, seed and paths: the same draws, the same figures.
    expect(undecided?.modes.map((m) => m.liquidationProbabilityMove)).toEqual(["within sampling error", "within sampling error", "within sampling error"]);
    const page = readFileSync(join(night2, "index.html"), "utf8");
    expect(page).toContain("▼ down, beyond sampling error");
    expect(page).toContain("Scenario files changed since the previous night: pass.");
  });

  it("builds the same suite.json and index.html from results made elsewhere (--from-results), and exits by their verdicts", () => {
    const elsewhere = join(work, "night-2-elsewhere");
    cpSync(night2, elsewhere, { recursive: true });
    for (const file of ["index.html", "suite.json", "suite.csv", "manifest.json"]) rmSync(join(elsewhere, file));
    rmSync(join(elsewhere, "charts"), { recursive: true });
    const rebuilt = mstress("suite", night2Library, "--from-results", elsewhere, "--previous", night1);
    expect(rebuilt.status, rebuilt.stderr).toBe(2);
    expect(readFileSync(join(elsewhere, "suite.json"), "utf8")).toBe(readFileSync(join(night2, "suite.json"), "utf8"));
    expect(readFileSync(join(elsewhere, "index.html"), "utf8")).toBe(readFileSync(join(night2, "index.html"), "utf8"));
    const failing = mstress("suite", join(night2Library, "pass.yaml"), join(night2Library, "fail.yaml"), "--from-results", elsewhere);
    expect(failing.status, failing.stderr).toBe(1);
    // A route whose merged result never arrived: the night failed for it (exit 4), and the index says so.
    rmSync(join(elsewhere, "fail"), { recursive: true });
    const missing = mstress("suite", join(night2Library, "pass.yaml"), join(night2Library, "fail.yaml"), "--from-results", elsewhere);
    expect(missing.status, missing.stderr).toBe(4);
    expect(scenarioOf(suiteJson(elsewhere), "fail")?.reason).toMatch(/no result in .*fail \(its run or merge did not finish\)/);
    // A result of another version of the file is bad input.
    const edited = library("library-edited", { "pass.yaml": carry("pass", 5000, passLimit) });
    const stale = mstress("suite", edited, "--from-results", elsewhere);
    expect(stale.status).toBe(2);
    expect(scenarioOf(suiteJson(elsewhere), "pass")?.reason).toMatch(/a run of another version of/);
  }, 120_000);

  it("refuses, writing nothing, what cannot make a night: no scenario to run, a replay scenario named on its own, a previous directory that is not a suite", () => {
    const target = join(work, "refused");
    const cases: [string[], string][] = [
      [[join(night1Library, "scripted.yaml"), "--out", target], "market: expected market models to simulate"],
      [[night1Library, "--previous", join(night1, "pass"), "--out", target], "has no suite.json; expected the directory of an earlier mstress suite"],
      [[join(work, "nowhere"), "--out", target], "does not exist"],
      [[night1Library, "--from-results", target, "--jobs", "2"], "--jobs: does not apply with --from-results"],
      [[night1Library, "--from-results", target], "is not a directory"],
    ];
    for (const [args, message] of cases) {
      const result = mstress("suite", ...args);
      expect(result.status, message).toBe(2);
      expect(result.stderr, message).toContain(message);
      expect(existsSync(target), message).toBe(false);
    }
  }, 60_000);

  it("prints the plan a batch engine submits: each scenario to run as name and file", () => {
    const plan = mstress("suite", night1Library, "--plan");
    expect(plan.status).toBe(0);
    expect(plan.stdout).toBe(`pass\t${join(night1Library, "pass.yaml")}\nundecided\t${join(night1Library, "undecided.yaml")}\n`);
    expect(plan.stderr).toContain("skipped: scripted");
  });

  it("leaves no suite directory when interrupted between routes", async () => {
    const out = join(work, "interrupted");
    const child = spawn(process.execPath, [mstressBin, "suite", night2Library, "--paths", "200", "--seed", "night", "--out", out], { cwd: repositoryRoot });
    let stderr = "";
    const status = await new Promise<number | null>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        // After the first route finished, during the second: the suite has results, but not all of them.
        if (/\[1\/3\]/.test(stderr) && !child.killed) child.kill("SIGINT");
      });
      child.on("exit", (code) => { resolve(code); });
    });
    expect(status, stderr).toBe(130);
    expect(stderr).toContain("interrupted: no suite was written");
    expect(readdirSync(work).filter((name) => name.includes("interrupted"))).toEqual([]);
  }, 120_000);
});
