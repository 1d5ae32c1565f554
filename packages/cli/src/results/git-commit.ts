import { execFile, execFileSync } from "node:child_process";

/** The checkout's commit, recorded in manifests; null outside a git checkout. */
export function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/**
 * gitCommit without waiting: a run asks when it starts and reads the answer for its manifest, so git runs beside
 * the simulation instead of on the run's tail (a synchronous spawn there took 20 to 35 ms of the main thread).
 */
export function gitCommitLater(): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile("git", ["rev-parse", "HEAD"], { encoding: "utf8" }, (error, stdout) => {
        resolve(error === null ? stdout.trim() : null);
      });
    } catch {
      // A spawn that fails at once (out of memory, say) throws rather than calling back: no commit, as gitCommit.
      resolve(null);
    }
  });
}
