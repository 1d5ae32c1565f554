import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { accountOutcomesHeader, outcomesHeader, routeOutcomesHeader } from "@mstress/sim";
import { describe, expect, it } from "vitest";
import { writeParquetTables } from "./parquet-tables.js";

// The thread runs the built worker (dist), as a run does; under vitest a worker thread would inherit the source
// condition and could not load TypeScript, so the thread is driven from a child process of the built package.
const threadBuild = new URL("../../dist/results/parquet-thread.js", import.meta.url).href;
const work = mkdtempSync(join(tmpdir(), "mstress-parquet-thread-"));

const tables: Readonly<Record<string, string>> = {
  "outcomes.csv": `${outcomesHeader}\n0,isolated,1,3600,1,7200,2993.0999999999995,-3012.4,1.25e-7,60,0,3000,0.000012345678901234567,0,3012.4,1,1800,0\n0,cross,0,,0,,0,0.30000000000000004,-5e-324,60,0,10000,0.16169,10000.3,1.7976931348623157e308,0,,\n`,
  "account-outcomes.csv": `${accountOutcomesHeader}\n0,isolated,futures,1,3600,2993.1,0\n0,cross,futures,0,,0,0.2\n`,
  "route-outcomes.csv": `${routeOutcomesHeader}\n0,isolated,carry,1,3600,1,7200\n0,cross,carry,0,,0,\n`,
};

function directoryOf(name: string, files: Readonly<Record<string, string>>): string {
  const directory = join(work, name);
  mkdirSync(directory);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(directory, file), text);
  return directory;
}

/** Writes `directory`'s tables on a ParquetThread in a child process; what write() resolved or rejected with. */
function writeOnThread(directory: string): { ok: boolean; name?: string; code?: string; message?: string } {
  const probe = `
    const { ParquetThread } = await import(${JSON.stringify(threadBuild)});
    try {
      await new ParquetThread().write({ directory: ${JSON.stringify(directory)}, quoteCurrency: "USDC" });
      console.log(JSON.stringify({ ok: true }));
    } catch (error) {
      console.log(JSON.stringify({ ok: false, name: error.name, code: error.code, message: error.message }));
    }`;
  // A file, not --input-type with -e: the thread inherits the process's node flags, and a worker refuses that one.
  const script = join(directory, "..", `${basename(directory)}-probe.mjs`);
  writeFileSync(script, probe);
  const child = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 60_000 });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as { ok: boolean; name?: string; code?: string; message?: string };
}

describe("ParquetThread", () => {
  it("writes the same files, byte for byte, as writing the tables in the run's own thread", () => {
    const inProcess = directoryOf("in-process", tables);
    const onThread = directoryOf("on-thread", tables);
    writeParquetTables(inProcess, "USDC");
    expect(writeOnThread(onThread)).toEqual({ ok: true });
    const written = readdirSync(inProcess).filter((file) => !file.endsWith(".csv")).sort();
    expect(written).toEqual(["account-outcomes.parquet", "outcomes.parquet", "route-outcomes.parquet", "schema.json"]);
    expect(readdirSync(onThread).sort()).toEqual(readdirSync(inProcess).sort());
    for (const file of written) expect(readFileSync(join(onThread, file)).equals(readFileSync(join(inProcess, file))), file).toBe(true);
  });

  it("refuses rows that do not own their buffer, before anything is sent: a view would take the run's whole buffer", () => {
    const directory = directoryOf("view", {});
    const probe = `
      const { ParquetThread } = await import(${JSON.stringify(threadBuild)});
      const thread = new ParquetThread();
      const whole = new Float64Array(64);
      const table = { header: "x", rows: whole.subarray(0, 16), width: 16, firstPath: 0, modes: ["cross"], entities: null };
      try {
        await thread.write({ directory: ${JSON.stringify(directory)}, quoteCurrency: "USDT", rows: { "outcomes.csv": table } });
        console.log(JSON.stringify({ ok: true }));
      } catch (error) {
        console.log(JSON.stringify({ ok: false, code: error.code, kept: whole.length }));
      }
      await thread.stop();`;
    const script = join(work, "view-probe.mjs");
    writeFileSync(script, probe);
    const child = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 60_000 });
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ ok: false, code: "E_INVARIANT", kept: 64 });
  });

  it("hands back the thread's error as the run would have met it: an MstressError keeps its code and line", () => {
    const broken = directoryOf("broken", { ...tables, "route-outcomes.csv": `${routeOutcomesHeader}\n0,cross,carry,0\n` });
    expect(writeOnThread(broken)).toEqual({ ok: false, name: "MstressError", code: "E_BAD_INPUT", message: "route-outcomes.csv: row 2: expected 7 cells, got 4" });
  });
});
