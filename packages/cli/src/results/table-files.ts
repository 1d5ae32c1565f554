import { createHash, type Hash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { accountOutcomesHeader, outcomesHeader, pnlPathsHeader, policyOutcomesHeader, routeOutcomesHeader, type ChunkTableText } from "@mstress/sim";
import type { ResultsDirectory } from "./results-directory.js";

const files = [
  ["outcomes.csv", outcomesHeader, (t: ChunkTableText) => t.outcomes],
  ["account-outcomes.csv", accountOutcomesHeader, (t: ChunkTableText) => t.accounts],
  ["route-outcomes.csv", routeOutcomesHeader, (t: ChunkTableText) => t.routes],
  ["policy-outcomes.csv", policyOutcomesHeader, (t: ChunkTableText) => t.policies],
  ["pnl-paths.csv", pnlPathsHeader, (t: ChunkTableText) => t.pnlPaths],
] as const;

/**
 * Writes a run's tidy tables while it runs: each chunk's lines (formatted by the worker) are appended in path
 * order as soon as every chunk before them has arrived, so the main thread writes while the workers simulate and
 * memory holds only the chunks that finished early, not whole tables. The files go into the results directory's
 * partial folder, renamed into place with the rest of the result or removed with it. Each file's SHA-256 is
 * computed as it is written and recorded with the directory for the manifest (merge checks it).
 */
export class TableFiles {
  readonly #directory: ResultsDirectory;
  /** The tables this run writes: policy-outcomes.csv only for a scenario with policies. */
  readonly #files: readonly (typeof files)[number][];
  readonly #descriptors: number[];
  readonly #hashes: { hash: Hash; bytes: number }[];
  readonly #pending = new Map<number, { readonly paths: number; readonly tables: ChunkTableText }>();
  #next: number;

  constructor(directory: ResultsDirectory, firstPath: number, policies = false) {
    this.#directory = directory;
    this.#files = files.filter(([name]) => policies || name !== "policy-outcomes.csv");
    this.#hashes = this.#files.map(() => ({ hash: createHash("sha256"), bytes: 0 }));
    this.#descriptors = [];
    for (const [name] of this.#files) {
      try {
        this.#descriptors.push(openSync(join(directory.partial, name), "w"));
      } catch (error) {
        this.close();
        throw directory.writeError(name, error);
      }
    }
    this.#files.forEach(([, header], f) => { this.#write(f, `${header}\n`); });
    this.#next = firstPath;
  }

  /** Appends ASCII text (the tables hold nothing else), as Latin-1: one byte a character. */
  #write(f: number, text: string): void {
    try {
      writeSync(this.#descriptors[f] ?? -1, text, null, "latin1");
    } catch (error) {
      throw this.#directory.writeError(this.#files[f]?.[0] ?? "a table", error);
    }
    const tally = this.#hashes[f];
    if (tally !== undefined) {
      tally.hash.update(text, "latin1");
      tally.bytes += text.length;
    }
  }

  /** The lines of paths [firstPath, firstPath + paths). */
  add(firstPath: number, paths: number, tables: ChunkTableText): void {
    this.#pending.set(firstPath, { paths, tables });
    for (let chunk = this.#pending.get(this.#next); chunk !== undefined; chunk = this.#pending.get(this.#next)) {
      this.#pending.delete(this.#next);
      this.#files.forEach(([, , pick], f) => {
        const text = pick(chunk.tables);
        if (text.length > 0) this.#write(f, text);
      });
      this.#next += chunk.paths;
    }
  }

  /** Paths written so far, from the first. */
  get end(): number {
    return this.#next;
  }

  /** Closes the files; `record` (when all was written) gives the directory their hashes for the manifest. */
  close(record = false): void {
    for (const fd of this.#descriptors) closeSync(fd);
    if (record && this.#descriptors.length === this.#files.length) {
      this.#files.forEach(([name], f) => {
        const tally = this.#hashes[f];
        if (tally !== undefined) this.#directory.record(name, { sha256: tally.hash.digest("hex"), bytes: tally.bytes });
      });
    }
    this.#descriptors.length = 0;
  }
}
