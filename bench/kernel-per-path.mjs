// The kernel alone, in-process, on one thread: milliseconds per path of the benchmark's workload (three modes, no
// pool, no tables, no files) and a SHA-256 of the outcome rows, so two builds can be compared in the same minute
// (speed) and to the bit (results). Usage, after `pnpm build`:
//   node bench/kernel-per-path.mjs [paths]              this checkout
//   MSTRESS_ROOT=/path/to/other/checkout node bench/kernel-per-path.mjs [paths]   another build
// Run the two alternately a few times and compare medians: these machines are shared and noisy. The line also gives
// the process's CPU time per path (user + system), which a busy machine inflates less than the wall-clock time: a
// thread waiting for a core is not charged, though it still shares caches with whatever runs beside it.
import { createHash } from "node:crypto";
import { kernelWorkload } from "./kernel-workload.mjs";

const paths = Number(process.argv[2] ?? 3_000);
const chunk = 100;
const { root, simulate } = await kernelWorkload();

const rows = createHash("sha256");
const cpuStarted = process.cpuUsage();
const started = performance.now();
for (let first = 0; first < paths; first += chunk) {
  const result = simulate(first, Math.min(chunk, paths - first));
  for (const table of [result.rows, result.accountRows, result.routeRows]) rows.update(new Uint8Array(table.buffer, table.byteOffset, table.byteLength));
}
const msPerPath = (performance.now() - started) / paths;
const cpu = process.cpuUsage(cpuStarted);
const cpuMsPerPath = (cpu.user + cpu.system) / 1000 / paths;
console.log(`${msPerPath.toFixed(3)} ms per path (${cpuMsPerPath.toFixed(3)} ms of CPU) over ${String(paths)} paths; outcome rows sha256 ${rows.digest("hex").slice(0, 16)} (${root})`);
