import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { MstressError } from "@mstress/core";

/**
 * A results directory that appears complete or not at all: files are written into a hidden sibling
 * `.<name>.partial-<pid>` and the directory is renamed into place only when every file is written (a rename
 * within one file system is atomic). An interrupted or failed run removes its partial directory.
 */
export class ResultsDirectory {
  readonly final: string;
  readonly partial: string;

  /** `replaces`: whether a non-empty `final` may be replaced, given its file names (a trend rebuilt in place). */
  constructor(final: string, replaces: (names: readonly string[]) => boolean = () => false) {
    if (existsSync(final) && readdirSync(final).length > 0 && !replaces(readdirSync(final))) {
      throw new MstressError("E_BAD_INPUT", `--out: ${JSON.stringify(final)} already holds files; expected a new or empty directory`);
    }
    this.final = final;
    this.partial = join(dirname(final), `.${basename(final)}.partial-${process.pid}`);
  }

  write(files: Readonly<Record<string, string>>): void {
    mkdirSync(this.partial, { recursive: true });
    // Names may hold a subdirectory (charts/<name>.vl.json).
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.partial, name)), { recursive: true });
      writeFileSync(join(this.partial, name), content);
    }
    if (existsSync(this.final)) rmSync(this.final, { recursive: true });
    mkdirSync(dirname(this.final), { recursive: true });
    renameSync(this.partial, this.final);
  }

  discard(): void {
    rmSync(this.partial, { recursive: true, force: true });
  }
}

/** `results/<scenario>-<UTC timestamp>` (e.g. funding-arb-btc-20261122T021500Z). */
export function defaultResultsPath(scenario: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return join("results", `${scenario}-${stamp}`);
}
