import { isMainThread } from "node:worker_threads";

/**
 * The stages of writing a result at which `MSTRESS_FAULT` can interrupt a command that writes a results directory
 * (run, merge, sweep, trend, calibrate, backtest; fault-injection.test.ts, fault-injection-commands.test.ts).
 * `parquet` is reached where the Parquet tables are written, on a run's Parquet thread.
 */
export type FaultStage = "simulate" | "tables" | "parquet" | "report" | "rename";

/**
 * A test hook: with `MSTRESS_FAULT=<stage>:<how>` in the environment, the run is interrupted when it reaches
 * `stage`: `kill` (SIGKILL, nothing can clean up), `signal` (SIGINT as Ctrl-C sends it) or `enospc` (the disk
 * fills up). The fault-injection test uses it to show that no complete-looking directory is left behind unless
 * the run exits 0. Without the variable it does nothing.
 */
export function faultPoint(stage: FaultStage): void {
  const fault = process.env.MSTRESS_FAULT;
  if (fault === undefined || !fault.startsWith(`${stage}:`)) return;
  const how = fault.slice(stage.length + 1);
  if (how === "kill") process.kill(process.pid, "SIGKILL");
  if (how === "signal") {
    if (isMainThread) process.emit("SIGINT", "SIGINT");
    else {
      // On a thread, a real SIGINT to the process (a thread's process events are its own), then this thread keeps
      // working for 2 s, as a long Parquet write would, so the signal always arrives while it works.
      process.kill(process.pid, "SIGINT");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_000);
    }
  }
  if (how === "enospc") throw Object.assign(new Error("ENOSPC: no space left on device (injected)"), { code: "ENOSPC" });
}
