import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mstressBin, repositoryRoot } from "../commands/small-carry.test-support.js";

describe("the command's threads compile on their own thread", () => {
  it("optimises the workers' kernel synchronously, so no background compile job is in flight when a thread stops", () => {
    const out = join(mkdtempSync(join(tmpdir(), "mstress-compile-")), "run");
    // V8's --trace-opt prints one line per function it compiles, with the mode; the path generator runs only in
    // the workers, so its lines are theirs. V8 writes a line in several pieces, and threads printing at once
    // splice pieces of one line into another, so only whole lines are read: a spliced one cannot say whose mode
    // it carries.
    const run = spawnSync(process.execPath, ["--trace-opt", mstressBin, "run", join(repositoryRoot, "scenarios/funding-arb-btc.yaml"), "--paths", "300", "--workers", "2", "--out", out], { encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const wholeGeneratorLine = /^\[compiling method 0x[0-9a-f]+ <JSFunction generateMarketPath \(sfi = 0x[0-9a-f]+\)> \(target \w+\)(?: OSR)?, mode: ConcurrencyMode::(k\w+)\]$/;
    const modes = run.stdout.split("\n").flatMap((line) => wholeGeneratorLine.exec(line)?.[1] ?? []);
    expect(modes.length).toBeGreaterThan(0);
    expect(new Set(modes)).toEqual(new Set(["kSynchronous"]));
  });
});
