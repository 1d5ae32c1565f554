import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { MstressError } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { ResultsDirectory } from "./results-directory.js";

const scratch = (): string => mkdtempSync(join(tmpdir(), "mstress-results-dir-"));

/** A pid no process has: above Linux's pid_max (4,194,304 at most). */
const deadPid = 4_194_400;

function refusal(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(MstressError);
    expect((error as MstressError).code).toBe("E_BAD_INPUT");
    return (error as MstressError).message;
  }
  throw new Error("expected a refusal");
}

describe("ResultsDirectory: claiming --out", () => {
  it("refuses a file, a path through a file and a directory holding files, touching none of them", () => {
    const dir = scratch();
    writeFileSync(join(dir, "file"), "mine");
    mkdirSync(join(dir, "full"));
    writeFileSync(join(dir, "full", "notes.txt"), "mine too");
    expect(refusal(() => ResultsDirectory.claim(join(dir, "file")))).toMatch(/--out: ".*file" is a file \(or a device\), not a directory/);
    expect(refusal(() => ResultsDirectory.claim(join(dir, "file", "sub")))).toMatch(/a part of its path is a file/);
    expect(refusal(() => ResultsDirectory.claim(join(dir, "full")))).toMatch(/already holds files; expected a new or empty directory/);
    expect(readFileSync(join(dir, "full", "notes.txt"), "utf8")).toBe("mine too");
    expect(readdirSync(dir).sort()).toEqual(["file", "full"]);
  });

  it("writes into a hidden partial directory and appears whole on commit, replacing an empty directory", () => {
    const dir = scratch();
    mkdirSync(join(dir, "out"));
    const directory = ResultsDirectory.claim(join(dir, "out"));
    directory.write({ "a.txt": "a", "charts/b.vl.json": "{}" }, { record: true });
    expect(readdirSync(join(dir, "out"))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([".out.lock", `.out.partial-${String(process.pid)}`, "out"]);
    // sha256("a"), the value every SHA-256 implementation gives for the one-byte string "a".
    expect(directory.recorded()["a.txt"]).toEqual({ sha256: "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", bytes: 1 });
    directory.commit();
    expect(readdirSync(dir)).toEqual(["out"]);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["a.txt", "charts"]);
  });

  it("refuses a second claimant while the first holds the directory, and takes over a dead run's lock", () => {
    const dir = scratch();
    const first = ResultsDirectory.claim(join(dir, "out"));
    expect(refusal(() => ResultsDirectory.claim(join(dir, "out")))).toMatch(new RegExp(`is being written by another mstress run \\(pid ${String(process.pid)} on `));
    first.discard();
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, ".out.lock"), JSON.stringify({ pid: deadPid, host: hostname(), since: "2026-01-01T00:00:00.000Z" }));
    const second = ResultsDirectory.claim(join(dir, "out"));
    second.write({ "a.txt": "a" });
    second.commit();
    expect(readdirSync(dir)).toEqual(["out"]);
  });

  it("removes partial directories of dead runs, and keeps those whose run still holds its lock", () => {
    const dir = scratch();
    mkdirSync(join(dir, `.old-run.partial-${String(deadPid)}`));
    mkdirSync(join(dir, `.busy-run.partial-${String(deadPid)}`));
    writeFileSync(join(dir, ".busy-run.lock"), JSON.stringify({ pid: process.pid, host: hostname(), since: "2026-01-01T00:00:00.000Z" }));
    mkdirSync(join(dir, ".not-ours.partial"));
    const directory = ResultsDirectory.claim(join(dir, "out"));
    expect(existsSync(join(dir, `.old-run.partial-${String(deadPid)}`))).toBe(false);
    expect(existsSync(join(dir, `.busy-run.partial-${String(deadPid)}`))).toBe(true);
    expect(existsSync(join(dir, ".not-ours.partial"))).toBe(true);
    directory.discard();
  });

  it("keeps files that appeared at the target during the run, and writes nothing", () => {
    const dir = scratch();
    const directory = ResultsDirectory.claim(join(dir, "out"));
    directory.write({ "a.txt": "result" });
    mkdirSync(join(dir, "out"));
    writeFileSync(join(dir, "out", "theirs.txt"), "keep me");
    expect(refusal(() => { directory.commit(); })).toMatch(/gained files while this run worked; they are left as they are and nothing was written/);
    expect(readdirSync(dir)).toEqual(["out"]);
    expect(readdirSync(join(dir, "out"))).toEqual(["theirs.txt"]);
  });

  it("removes the parent directories it created when the run is discarded", () => {
    const dir = scratch();
    const directory = ResultsDirectory.claim(join(dir, "night", "2026-11-22", "all"));
    directory.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});
