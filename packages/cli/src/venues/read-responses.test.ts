// Saved responses are read as regular files of bounded size: a FIFO or a link to /dev/zero under a response's name
// would block or never end, so `venue import` refuses it at once with exit 2, naming the file, and writes nothing.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mstressBin } from "../commands/small-carry.test-support.js";
import { dayMs, savedResponses, scratch } from "./venue-fixtures.test-support.js";

/** `mstress venue import hyperliquid` with meta.json replaced by `make(path)`; killed after 20 s should it block. */
function importWith(make: (path: string) => void) {
  const cwd = scratch();
  const from = savedResponses(cwd, "hyperliquid", new Date(Date.now() - dayMs));
  const meta = join(from, "meta.json");
  rmSync(meta);
  make(meta);
  const run = spawnSync(process.execPath, [mstressBin, "venue", "import", "hyperliquid", "--from", from], { encoding: "utf8", cwd, timeout: 20_000 });
  return { run, meta, cwd };
}

describe("venue import reads only regular files of bounded size", () => {
  it.each<[string, (path: string) => void, string]>([
    ["a FIFO (mkfifo)", (path) => execFileSync("mkfifo", [path]), "is not a regular file (a FIFO, device or socket)"],
    ["a symbolic link to /dev/zero", (path) => { symlinkSync("/dev/zero", path); }, "is not a regular file (a FIFO, device or socket)"],
    ["a directory", (path) => execFileSync("mkdir", [path]), "is a directory"],
  ])("meta.json as %s: exit 2 naming the file, nothing written", { timeout: 30_000 }, (_, make, problem) => {
    const { run, meta, cwd } = importWith(make);
    expect(run.signal, "the import blocked and was killed").toBeNull();
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`mstress: --from: ${JSON.stringify(meta)} ${problem}; expected a saved API response (JSON) of at most 64 MiB\n`);
    expect(existsSync(join(cwd, "venues"))).toBe(false);
  });
});
