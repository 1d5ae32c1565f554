import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { carryLegs, carryMarket, mstress } from "./small-carry.test-support.js";

// Merge checks the shards' content, not only their metadata: each file against the SHA-256 its shard recorded
// when it wrote it, then every cell as it is read, then the outcome contract; and names the shard and the file.

const work = mkdtempSync(join(tmpdir(), "mstress-merge-"));
const scenarioText = `name: carry\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\nlegs:\n${carryLegs(3000)}\nmarket:\n${carryMarket}\n`;
const scenarioFile = join(work, "carry.yaml");
const otherFile = join(work, "other.yaml");
writeFileSync(scenarioFile, scenarioText);
writeFileSync(otherFile, scenarioText.replace("deposit: 10000", "deposit: 12000"));

const shard = (file: string, spec: string, seed = "3"): string => {
  const out = join(work, `${file === scenarioFile ? "carry" : "other"}-${spec.replace("/", "of")}-${seed}`);
  const run = mstress("run", file, "--paths", "60", "--seed", seed, "--workers", "1", "--shard", spec, "--out", out);
  expect(run.status, run.stderr).toBe(0);
  return out;
};

let shards: { one: string; two: string; firstOfThree: string; secondOfThree: string; otherScenario: string };
beforeAll(() => {
  shards = { one: shard(scenarioFile, "1/2"), two: shard(scenarioFile, "2/2"), firstOfThree: shard(scenarioFile, "1/3"), secondOfThree: shard(scenarioFile, "2/3"), otherScenario: shard(otherFile, "2/2", "9") };
}, 120_000);

let copies = 0;
/** A copy of a shard to tamper with. */
const copy = (dir: string): string => {
  const target = join(work, `copy-${String(++copies)}`);
  cpSync(dir, target, { recursive: true });
  return target;
};

/** Rewrites a file of a shard copy and, when `rehash`, its manifest's record too (a determined edit). */
function edit(dir: string, name: string, change: (text: string) => string, rehash = false): void {
  const text = change(readFileSync(join(dir, name), "utf8"));
  writeFileSync(join(dir, name), text);
  if (!rehash) return;
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { files: Record<string, { sha256: string; bytes: number }> };
  manifest.files[name] = { sha256: createHash("sha256").update(text).digest("hex"), bytes: Buffer.byteLength(text) };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
}

function refusedMerge(dirs: readonly string[], message: RegExp): void {
  const out = join(work, `merged-${String(++copies)}`);
  const merge = mstress("merge", ...dirs, "--out", out);
  expect(merge.status, merge.stderr).toBe(2);
  expect(merge.stderr.trim().split("\n")).toHaveLength(1);
  expect(merge.stderr).toMatch(message);
  expect(merge.stderr).not.toMatch(/internal error/);
  expect(existsSync(out)).toBe(false);
}

/** The second data line of a CSV with its `column`-th cell replaced. */
const cell = (column: number, value: string) => (text: string): string => {
  const lines = text.split("\n");
  const cells = (lines[2] ?? "").split(",");
  cells[column] = value;
  lines[2] = cells.join(",");
  return lines.join("\n");
};

describe("mstress merge: a shard's files changed after it wrote them", () => {
  it.each([
    ["outcomes.csv", "a PnL cell", cell(7, "12345")],
    ["outcomes.csv", "a loss cell", cell(6, "1234")],
    ["outcomes.csv", "an extra column", (text: string) => text.replace(/\n/g, ",0\n")],
    ["account-outcomes.csv", "a liquidation flag", cell(3, "1")],
    ["route-outcomes.csv", "a cell", cell(5, "1")],
    ["pnl-paths.csv", "a PnL step", (text: string) => text.replace(/\n(\d+,isolated,3600),[^,]*,/, "\n$1,999,")],
    ["summary.json", "a figure", (text: string) => text.replace(/"liquidationProbability": [^,]*/, '"liquidationProbability": 0')],
    ["scenario.yaml", "another shard's scenario", () => readFileSync(otherFile, "utf8")],
  ])("%s, %s: names the shard and the file", (name, _what, change) => {
    const tampered = copy(shards.two);
    edit(tampered, name, change);
    refusedMerge([shards.one, tampered], new RegExp(`merge: shard 2/2 \\(.*copy-\\d+\\): ${name.replace(".", "\\.")} has changed since the shard wrote it`));
  });

  it("a missing pnl-paths.csv and a manifest that is not JSON", () => {
    const missing = copy(shards.one);
    rmSync(join(missing, "pnl-paths.csv"));
    refusedMerge([missing, shards.two], /merge: shard 1\/2 \(.*\): pnl-paths\.csv: is missing; expected the file the run wrote/);
    const garbled = copy(shards.two);
    writeFileSync(join(garbled, "manifest.json"), "{ not json");
    refusedMerge([shards.one, garbled], /merge: .*copy-\d+\/manifest\.json: is not valid JSON/);
  });
});

describe("mstress merge: edited cells even with the manifest's hash updated", () => {
  it.each([
    ["NaN in a PnL cell", "outcomes.csv", cell(7, "NaN"), /outcomes\.csv: row 3: pnl: expected a number or an empty cell/],
    ["garbage in a loss cell", "outcomes.csv", cell(6, "lots"), /outcomes\.csv: row 3: loss: expected a number or an empty cell/],
    ["an empty PnL cell", "outcomes.csv", cell(7, ""), /shard 2\/2 .*: its outcome tables break the outcome contract: outcomes\.pnl: expected finite/],
    ["a liquidated flag of 2", "outcomes.csv", cell(2, "2"), /break the outcome contract: outcomes\.liquidated: expected 0 or 1/],
    ["a liquidation time on a path not liquidated", "outcomes.csv", cell(3, "3600"), /break the outcome contract: outcomes\.liquidatedAt: expected a time/],
    ["a row missing", "account-outcomes.csv", (text: string) => text.split("\n").filter((_, i) => i !== 2).join("\n"), /account-outcomes\.csv: row 3: expected path/],
  ])("%s", (_name, file, change, message) => {
    const tampered = copy(shards.two);
    edit(tampered, file, change, true);
    refusedMerge([shards.one, tampered], message);
  });
});

describe("mstress merge: shards that do not make one run", () => {
  it("names both shards that cover the same paths, and the gap", () => {
    refusedMerge([shards.one, shards.secondOfThree, shards.two], /merge: paths 20\.\.29 are covered twice: by shard 1\/2 \(.*carry-1of2-3\) and by shard 2\/3 \(.*carry-2of3-3\); expected each path in one shard/);
    refusedMerge([shards.firstOfThree, shards.two], /merge: paths 20\.\.29 are missing: no shard between shard 1\/3 \(.*\) and shard 2\/2 \(.*\) covers them/);
    refusedMerge([shards.one, shards.one], /is given twice/);
  });

  it("refuses a shard of another scenario by its SHA-256 first, before its seed", () => {
    refusedMerge([shards.one, shards.otherScenario], /merge: shard 2\/2 \(.*other-2of2-9\): a different scenario file \(sha256 /);
  });

  it("merges the untouched shards", () => {
    const merge = mstress("merge", shards.two, shards.one, "--out", join(work, "merged-ok"));
    expect(merge.status, merge.stderr).toBe(0);
    expect(existsSync(join(work, "merged-ok", "report.html"))).toBe(true);
  });
});
