// The kernel alone, in-process, on one thread: milliseconds per path of the benchmark's workload (three modes, no
// pool, no tables, no files) and a SHA-256 of the outcome rows, so two builds can be compared in the same minute
// (speed) and to the bit (results). Usage, after `pnpm build`:
//   node bench/kernel-per-path.mjs [paths]              this checkout
//   MSTRESS_ROOT=/path/to/other/checkout node bench/kernel-per-path.mjs [paths]   another build
// Run the two alternately a few times and compare medians: these machines are shared and noisy. The line also gives
// the process's CPU time per path (user + system), which a busy machine inflates less than the wall-clock time: a
// thread waiting for a core is not charged, though it still shares caches with whatever runs beside it.
//
// A second line gives a SHA-256 per field of the outcome and account rows (`fields {"rows.pnl": ..., ...}`), so
// two builds can be compared field by field: which figures changed, and which stayed the same to the bit.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { kernelWorkload } from "./kernel-workload.mjs";

const paths = Number(process.argv[2] ?? 3_000);
const chunk = 100;
const { root, simulate } = await kernelWorkload();
const { outcomeFields, accountOutcomeFields } = await import(pathToFileURL(join(root, "packages/sim/dist/kernel/outcome-fields.js")).href);

const rows = createHash("sha256");
const outputs = [];
const cpuStarted = process.cpuUsage();
const started = performance.now();
for (let first = 0; first < paths; first += chunk) {
  const result = simulate(first, Math.min(chunk, paths - first));
  for (const table of [result.rows, result.accountRows, result.routeRows]) rows.update(new Uint8Array(table.buffer, table.byteOffset, table.byteLength));
  outputs.push(result);
}
const msPerPath = (performance.now() - started) / paths;
const cpu = process.cpuUsage(cpuStarted);
const cpuMsPerPath = (cpu.user + cpu.system) / 1000 / paths;

// Outside the timed part: one hash per field.
const fieldHashes = {};
const hashFields = (name, table, fields) => {
  const column = new Float64Array(table.length / fields.length);
  fields.forEach((field, f) => {
    for (let i = 0; i < column.length; i++) column[i] = table[i * fields.length + f];
    const key = `${name}.${field}`;
    fieldHashes[key] ??= createHash("sha256");
    fieldHashes[key].update(new Uint8Array(column.buffer));
  });
};
for (const result of outputs) {
  hashFields("rows", result.rows, outcomeFields);
  hashFields("accountRows", result.accountRows, accountOutcomeFields);
}
console.log(`${msPerPath.toFixed(3)} ms per path (${cpuMsPerPath.toFixed(3)} ms of CPU) over ${String(paths)} paths; outcome rows sha256 ${rows.digest("hex").slice(0, 16)} (${root})`);
console.log(`fields ${JSON.stringify(Object.fromEntries(Object.entries(fieldHashes).map(([key, hash]) => [key, hash.digest("hex").slice(0, 16)])))}`);
