// The kernel's allocation: kilobytes allocated per path, in total and by the function V8 attributes them to, over
// the benchmark's workload (three modes, in-process, one thread), from V8's sampling heap profiler with the
// objects that minor and major GCs collected (most of them: boxed doubles and short-lived booking objects).
// The hot loop creates no objects of its own per step; what it allocates is V8 boxing a double at a call it did
// not inline, and the ledger's sparse bookings. Usage, after `pnpm build`:
//   node bench/kernel-allocation.mjs [paths]
//   MSTRESS_ROOT=/path/to/other/checkout node bench/kernel-allocation.mjs [paths]   another build
import { Session } from "node:inspector/promises";
import { kernelWorkload } from "./kernel-workload.mjs";

const paths = Number(process.argv[2] ?? 500);
const chunk = 100;
const { root, simulate } = await kernelWorkload();

const session = new Session();
session.connect();
await session.post("HeapProfiler.startSampling", { samplingInterval: 512, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
for (let first = 0; first < paths; first += chunk) simulate(first, Math.min(chunk, paths - first));
const { profile } = await session.post("HeapProfiler.stopSampling");
session.disconnect();

const byFunction = new Map();
let total = 0;
const visit = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
  total += node.selfSize;
  byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
  for (const child of node.children) visit(child);
};
visit(profile.head);
const kilobytesPerPath = (bytes) => (bytes / paths / 1024).toFixed(1);
console.log(`${kilobytesPerPath(total)} KB allocated per path over ${paths} paths (${root})`);
for (const [key, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${kilobytesPerPath(bytes).padStart(8)}  ${key}`);
