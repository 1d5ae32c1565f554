import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { accountOutcomesHeader, outcomesHeader, pnlPathsHeader, policyOutcomesHeader, routeOutcomesHeader, type ChunkTables } from "@mstress/sim";

const files = [
  ["outcomes.csv", outcomesHeader, (t: ChunkTables) => t.outcomes],
  ["account-outcomes.csv", accountOutcomesHeader, (t: ChunkTables) => t.accounts],
  ["route-outcomes.csv", routeOutcomesHeader, (t: ChunkTables) => t.routes],
  ["policy-outcomes.csv", policyOutcomesHeader, (t: ChunkTables) => t.policies],
  ["pnl-paths.csv", pnlPathsHeader, (t: ChunkTables) => t.pnlPaths],
] as const;

/**
 * Writes a run's tidy tables while it runs: each chunk's lines (formatted by the worker) are appended in path
 * order as soon as every chunk before them has arrived, so the main thread writes while the workers simulate and
 * memory holds only the chunks that finished early, not whole tables. The files go into the results directory's
 * partial folder, renamed into place with the rest of the result or removed with it.
 */
export class TableFiles {
  readonly #descriptors: number[];
  readonly #files: readonly (typeof files)[number][];
  readonly #pending = new Map<number, { readonly paths: number; readonly tables: ChunkTables }>();
  #next: number;

  /** `policies`: whether the scenario has policies (policy-outcomes.csv is written only then). */
  constructor(directory: string, firstPath: number, policies = false) {
    mkdirSync(directory, { recursive: true });
    this.#files = files.filter(([name]) => policies || name !== "policy-outcomes.csv");
    this.#descriptors = this.#files.map(([name, header]) => {
      const fd = openSync(join(directory, name), "w");
      writeSync(fd, `${header}\n`);
      return fd;
    });
    this.#next = firstPath;
  }

  /** The lines of paths [firstPath, firstPath + paths). */
  add(firstPath: number, paths: number, tables: ChunkTables): void {
    this.#pending.set(firstPath, { paths, tables });
    for (let chunk = this.#pending.get(this.#next); chunk !== undefined; chunk = this.#pending.get(this.#next)) {
      this.#pending.delete(this.#next);
      this.#files.forEach(([, , pick], f) => {
        const bytes = pick(chunk.tables);
        if (bytes.length > 0) writeSync(this.#descriptors[f] ?? -1, bytes);
      });
      this.#next += chunk.paths;
    }
  }

  /** Paths written so far, from the first. */
  get end(): number {
    return this.#next;
  }

  close(): void {
    for (const fd of this.#descriptors) closeSync(fd);
    this.#descriptors.length = 0;
  }
}
