import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { fuzzCase } from "./fuzz-case.js";
import { fuzzProblems, runFuzzCase } from "./run-fuzz-case.js";

// The fixed-seed slice of the CLI fuzzer (`pnpm fuzz` runs it long): mutated scenarios and flags never make the
// binary hang, exit 4 or print an internal error, and an exit 2 leaves nothing behind. Each case is a process of
// its own, killed after 30 s; the slice is sized to about a minute on the 2-core CI machine.
const root = mkdtempSync(join(tmpdir(), "mstress-fuzz-"));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("the CLI under mutated scenarios and flags", () => {
  it("exits 0, 1, 2 or 3, never hangs, and writes nothing on 2", () => {
    fc.assert(
      fc.property(fuzzCase, (fuzz) => {
        const problems = fuzzProblems(fuzz, runFuzzCase(fuzz, root, 30_000));
        expect(problems, `${fuzz.mutations.join("; ")}\nmstress ${fuzz.args.join(" ")}\n${fuzz.scenario}`).toEqual([]);
      }),
      { seed: 20_261_203, numRuns: 30, endOnFailure: true },
    );
  }, 300_000);
});
