import { fileURLToPath } from "node:url";

/**
 * The script the Parquet thread starts with: the compiled `parquet-worker.js` beside this module; from TypeScript
 * source (tests), the built copy in dist. The `mstress` bundle replaces this module with one naming its own bundled
 * worker (packages/cli/src/build/bundle-bin.ts).
 */
export function parquetWorkerFile(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith(".ts") ? "../../dist/results/parquet-worker.js" : "./parquet-worker.js", here));
}
