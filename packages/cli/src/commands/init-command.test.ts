import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(root, "packages/cli/dist/bin/mstress.js");
const work = mkdtempSync(join(tmpdir(), "mstress-init-"));
const mstress = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: work });

describe("mstress init", () => {
  it("writes a commented starter that validates and runs", () => {
    const init = mstress("init", "my-carry");
    expect(init.status, init.stderr).toBe(0);
    const text = readFileSync(join(work, "my-carry.yaml"), "utf8");
    expect(text).toMatch(/^# Question: .+\n# Answer: .+\n/);
    expect(text).toContain("name: my-carry\n");
    const validate = mstress("validate", "my-carry.yaml");
    expect(validate.stderr).toBe("");
    expect(validate.stdout).toBe("my-carry.yaml: OK (mstress run: 30d at 1h steps; modes isolated, cross, portfolio; 2 legs in 1 account)\n");
    const run = mstress("run", "my-carry.yaml", "--paths", "40", "--workers", "1", "--out", join(work, "result"));
    expect(run.status, run.stderr).toBe(0);
  });

  it("refuses to overwrite an existing file: exit 2, file unchanged", () => {
    writeFileSync(join(work, "taken.yaml"), "mine\n");
    const init = mstress("init", "taken");
    expect(init.status).toBe(2);
    expect(init.stderr).toMatch(/^mstress: name: .*taken\.yaml already exists/);
    expect(readFileSync(join(work, "taken.yaml"), "utf8")).toBe("mine\n");
  });

  it("rejects a name a scenario cannot have, and a folder that does not exist", () => {
    expect(mstress("init", "bad name").status).toBe(2);
    const missing = mstress("init", "no-such-folder/carry");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});
