// The kernel's deoptimisations from cold. V8 compiles a hot function for what it has seen (the shapes of objects
// and arrays, the types of values) and throws the compiled code away when something else arrives, then compiles
// it again: each of these costs a worker's cold start, which the kernel bench (warmed up first) does not see.
// Runs bench/kernel-per-path.mjs in a child as the command's threads compile (--no-concurrent-recompilation) with
// V8's --trace-deopt, and counts the deoptimisations by function and reason. Usage, after `pnpm build`:
//   node bench/kernel-deopts.mjs [paths]     (BENCH_SCENARIO and BENCH_PASSIVE as for kernel-per-path.mjs)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Deoptimisations of a cold kernel run over `paths` paths: their count and, most frequent first, "function: reason" with counts. */
export function kernelDeopts(paths, env = {}) {
  const result = spawnSync(process.execPath, ["--no-concurrent-recompilation", "--trace-deopt", join(root, "bench/kernel-per-path.mjs"), String(paths)], { cwd: root, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`kernel-deopts: kernel-per-path failed: ${result.stderr}`);
  const counts = new Map();
  for (const match of result.stdout.matchAll(/bailout \(kind: [^,]+, reason: ([^)]*)\): begin\. deoptimizing 0x[0-9a-f]+ <JSFunction ([^ >]+)/g)) {
    const key = `${match[2]}: ${match[1]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  return { total, byFunction: [...counts].sort((a, b) => b[1] - a[1]).map(([key, count]) => ({ key, count })) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { total, byFunction } = kernelDeopts(Number(process.argv[2] ?? 1500));
  console.log(`${String(total)} deoptimisations from cold`);
  for (const { key, count } of byFunction) console.log(`  ${String(count)}  ${key}`);
}
