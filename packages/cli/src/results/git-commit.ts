import { execFileSync } from "node:child_process";

/** The checkout's commit, recorded in manifests; null outside a git checkout. */
export function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}
