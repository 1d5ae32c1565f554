import { setFlagsFromString } from "node:v8";

/**
 * Makes every thread started from here on compile its hot code on its own thread (V8's
 * --no-concurrent-recompilation) instead of on V8's background threads. Called by the command before any worker
 * or Parquet thread starts: V8 reads the flag when it creates a thread's isolate, so the threads started after it
 * compile synchronously (the main thread's isolate, made before, keeps its background compiler).
 *
 * Why: Node 20 stops a worker thread by unregistering its isolate from the platform and then disposing of it. A
 * TurboFan job still running in the background for that isolate in between asks the platform for it and aborts
 * the whole process ("Assertion failed: (data.first) != nullptr" in NodePlatform::ForIsolate). It happened once in
 * CI, on a 60-path shard whose pool stopped while its workers were still compiling, under load. Without background
 * jobs there is nothing in flight when a thread stops. On two cores busy with the workers it is also faster, since
 * the background compiler is starved there and the kernel runs longer unoptimised (docs/performance.md, run I).
 */
export function compileOnOwnThread(): void {
  setFlagsFromString("--no-concurrent-recompilation");
}
