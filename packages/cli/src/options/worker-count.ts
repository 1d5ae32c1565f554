import { availableParallelism } from "node:os";

/**
 * The worker threads to start for `--workers requested`: at most the cores this process may use. More threads
 * than cores only compete for them (each holds its own compiled plan and buffers: 1,000 threads took 80 s and
 * 11.7 GB for a run that needs 3.8 s), so a larger request is capped with a warning on `warn`.
 */
export function workerCount(requested: number, warn: (line: string) => void, cores = availableParallelism()): number {
  if (requested <= cores) return requested;
  warn(`warning: --workers ${String(requested)} is more than the ${String(cores)} core${cores === 1 ? "" : "s"} available; using ${String(cores)}`);
  return cores;
}
