/**
 * The stages of writing a result at which `MSTRESS_FAULT` can interrupt a command that writes a results directory
 * (run, merge, sweep, trend, calibrate, backtest; fault-injection.test.ts, fault-injection-commands.test.ts).
 * `parquet` is reached where the Parquet tables are written: on a run's Parquet thread, where `signal` does not
 * reach the main thread's handlers (a thread has its own process events), so a run is tested there by the disk
 * filling up and by a kill.
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
  if (how === "signal") process.emit("SIGINT", "SIGINT");
  if (how === "enospc") throw Object.assign(new Error("ENOSPC: no space left on device (injected)"), { code: "ENOSPC" });
}
