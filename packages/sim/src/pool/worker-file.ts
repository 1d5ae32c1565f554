import { fileURLToPath } from "node:url";

/**
 * The script each pool thread starts with: the compiled worker (`worker/simulate-worker.js`) beside this module; from
 * TypeScript source (tests), the built copy in dist. The `mstress` bundle replaces this module with one naming its
 * own bundled worker (packages/cli/src/build/bundle-bin.ts), so a bundled run's threads load a bundle too.
 */
export function simulateWorkerFile(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith(".ts") ? "../../dist/worker/simulate-worker.js" : "../worker/simulate-worker.js", here));
}
