import { createHash } from "node:crypto";
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, statfsSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { MstressError } from "@mstress/core";
import { faultPoint, type FaultStage } from "./fault-point.js";
import { OutputLock, lockHeld, processAlive } from "./output-lock.js";

/** A file of the result as written: what the manifest records so a later reader (merge) can tell it was changed. */
export interface RecordedFile {
  readonly sha256: string;
  readonly bytes: number;
}

export interface ClaimOptions {
  /** The flag the directory came from, for messages (default `--out`). */
  readonly field?: string;
  /** Whether an existing non-empty directory may be replaced, given its file names (a trend rebuilt in place). */
  readonly replaces?: (names: readonly string[]) => boolean;
}

const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const partialPattern = /^\.(.+)\.partial-(\d+)$/;

/**
 * A results directory that appears complete or not at all, and never at the cost of anything the run did not
 * create. At the start the run claims it (`claim`): the target must be new or an empty directory, a lock file
 * beside it keeps a second run out (exit 2), the parent must be writable, and partial directories of runs whose
 * pid is dead are removed. Every file, the report included, is then written into a hidden sibling
 * `.<name>.partial-<pid>`, and `commit` renames it into place last: a rename within one file system is atomic,
 * and rename(2) never replaces a non-empty directory, so files that appeared at the target meanwhile are kept.
 * SIGINT, SIGTERM and SIGHUP abort the run (`signal`) and the partial is removed; a second signal removes it at
 * once and exits. Tested in results-directory.test.ts and fault-injection.test.ts.
 */
export class ResultsDirectory {
  readonly final: string;
  readonly partial: string;
  readonly field: string;
  readonly #lock: OutputLock;
  readonly #abort = new AbortController();
  readonly #createdParent: string | undefined;
  readonly #replaces: (names: readonly string[]) => boolean;
  readonly #recorded = new Map<string, RecordedFile>();
  readonly #onSignal = (): void => {
    if (!this.#abort.signal.aborted) {
      this.#abort.abort();
      return;
    }
    // A second signal: the run did not stop in time (a long synchronous step), so stop now.
    this.discard();
    process.exit(130);
  };
  readonly #onExit = (): void => {
    this.discard();
  };
  #settled = false;

  private constructor(final: string, field: string, lock: OutputLock, createdParent: string | undefined, replaces: (names: readonly string[]) => boolean) {
    this.final = final;
    this.field = field;
    this.partial = join(dirname(final), `.${basename(final)}.partial-${String(process.pid)}`);
    this.#lock = lock;
    this.#createdParent = createdParent;
    this.#replaces = replaces;
    for (const signal of signals) process.on(signal, this.#onSignal);
    process.on("exit", this.#onExit);
  }

  /** Claims `final` for this run, before any work is done; bad or busy targets are refused with exit 2. */
  static claim(final: string, options: ClaimOptions = {}): ResultsDirectory {
    const field = options.field ?? "--out";
    const replaces = options.replaces ?? (() => false);
    const refuse = (what: string): MstressError => new MstressError("E_BAD_INPUT", `${field}: ${JSON.stringify(final)} ${what}`);
    const checkTarget = (): void => {
      const kind = entryKind(final);
      if (kind === "not-directory-parent") throw refuse("cannot be created: a part of its path is a file, not a directory");
      if (kind === "other") throw refuse("is a file (or a device), not a directory; expected a new or empty directory");
      if (kind === "directory") {
        const names = readdirSync(final);
        if (names.length > 0 && !replaces(names)) throw refuse("already holds files; expected a new or empty directory (a run never replaces what it did not write)");
      }
    };
    checkTarget();
    const parent = dirname(final);
    let createdParent: string | undefined;
    try {
      createdParent = mkdirSync(parent, { recursive: true });
    } catch (error) {
      throw refuse(`cannot be created (${fileProblem(error)})`);
    }
    let lock: OutputLock;
    try {
      lock = OutputLock.acquire(join(parent, `.${basename(final)}.lock`), field, final);
    } catch (error) {
      removeEmptyParents(createdParent, parent);
      if (error instanceof MstressError) throw error;
      throw refuse(`cannot be written (${fileProblem(error)})`);
    }
    try {
      // Checked again under the lock: another run may have finished into it since.
      checkTarget();
      removeStalePartials(parent, basename(final));
      const directory = new ResultsDirectory(final, field, lock, createdParent, replaces);
      try {
        rmSync(directory.partial, { recursive: true, force: true });
        mkdirSync(directory.partial);
      } catch (error) {
        directory.discard();
        throw refuse(`cannot be written (${fileProblem(error)})`);
      }
      return directory;
    } catch (error) {
      lock.release();
      removeEmptyParents(createdParent, parent);
      throw error;
    }
  }

  /** Aborted by SIGINT, SIGTERM or SIGHUP. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Bytes free for an unprivileged user on the directory's file system. */
  freeBytes(): number {
    const stats = statfsSync(dirname(this.final));
    return stats.bavail * stats.bsize;
  }

  /** Ends the run with exit 130 if a signal came (nothing is kept); runs the test fault of `stage`, if any. */
  checkpoint(stage: FaultStage): void {
    try {
      faultPoint(stage);
    } catch (error) {
      throw this.#writeError(stage, error);
    }
    if (this.#abort.signal.aborted) throw new MstressError("E_INTERRUPTED", "interrupted: no result was written");
  }

  /** Records a file written into the partial directory by other means (the tables written as chunks arrive). */
  record(name: string, file: RecordedFile): void {
    this.#recorded.set(name, file);
  }

  /** SHA-256 and size of every file written with `record: true`, by name, for the manifest. */
  recorded(): Record<string, RecordedFile> {
    return Object.fromEntries([...this.#recorded].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Writes files (relative names, possibly under charts/) into the partial directory; `record` keeps their hashes. */
  write(files: Readonly<Record<string, string>>, options: { readonly record?: boolean } = {}): void {
    for (const [name, content] of Object.entries(files)) {
      const path = join(this.partial, name);
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      } catch (error) {
        throw this.#writeError(name, error);
      }
      if (options.record === true) this.#recorded.set(name, { sha256: createHash("sha256").update(content).digest("hex"), bytes: Buffer.byteLength(content) });
    }
  }

  /**
   * Writes a file from pieces (a large table formatted a slice at a time, so it never sits in memory whole) into
   * the partial directory, recording its SHA-256 for the manifest.
   */
  writePieces(name: string, pieces: Iterable<Uint8Array | string>): void {
    const path = join(this.partial, name);
    const hash = createHash("sha256");
    let bytes = 0;
    let fd: number | undefined;
    try {
      fd = openSync(path, "w");
      for (const piece of pieces) {
        const buffer = typeof piece === "string" ? Buffer.from(piece, "latin1") : piece;
        writeSync(fd, buffer);
        hash.update(buffer);
        bytes += buffer.length;
      }
    } catch (error) {
      throw this.writeError(name, error);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    this.#recorded.set(name, { sha256: hash.digest("hex"), bytes });
  }

  /** A write that failed (a full disk, a file system gone read-only): bad for this run, exit 2, nothing kept. */
  #writeError(name: string, error: unknown): MstressError {
    return new MstressError("E_BAD_INPUT", `${this.field}: cannot write ${name} for ${JSON.stringify(this.final)} (${fileProblem(error)}); nothing was written`);
  }

  /** Wraps an error of writing the tables into the partial directory as `write` does. */
  writeError(name: string, error: unknown): MstressError {
    return error instanceof MstressError ? error : this.#writeError(name, error);
  }

  /** Renames the finished result into place, last; then the claim is released. */
  commit(): void {
    this.checkpoint("rename");
    const old = join(dirname(this.final), `.${basename(this.final)}.old-${String(process.pid)}`);
    let replaced = false;
    try {
      const kind = entryKind(this.final);
      if (kind === "directory" && readdirSync(this.final).length > 0) {
        if (!this.#replaces(readdirSync(this.final))) throw new Error("ENOTEMPTY");
        renameSync(this.final, old);
        replaced = true;
      }
      renameSync(this.partial, this.final);
    } catch (error) {
      if (replaced) renameSync(old, this.final);
      this.discard();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR" || (error as Error).message === "ENOTEMPTY") {
        throw new MstressError("E_BAD_INPUT", `${this.field}: ${JSON.stringify(this.final)} gained files while this run worked; they are left as they are and nothing was written (run again with a new --out)`);
      }
      throw this.#writeError("the results directory", error);
    }
    if (replaced) rmSync(old, { recursive: true, force: true });
    this.#settle();
  }

  /** Removes the partial directory (and parents this run created, when empty) and releases the claim. */
  discard(): void {
    if (this.#settled) return;
    rmSync(this.partial, { recursive: true, force: true });
    this.#settle();
    removeEmptyParents(this.#createdParent, dirname(this.final));
  }

  #settle(): void {
    this.#settled = true;
    this.#lock.release();
    for (const signal of signals) process.removeListener(signal, this.#onSignal);
    process.removeListener("exit", this.#onExit);
  }
}

function entryKind(path: string): "missing" | "directory" | "other" | "not-directory-parent" {
  try {
    return lstatSync(path).isDirectory() ? "directory" : "other";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") return "not-directory-parent";
    return "missing";
  }
}

/**
 * Partial directories of runs that are gone: `.<name>.partial-<pid>` whose run's lock is not held and whose pid is
 * not alive here; for `own` (the name this run holds the lock of) every other partial. Only entries of that exact
 * shape are touched.
 */
function removeStalePartials(parent: string, own: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const match = partialPattern.exec(name);
    if (match === null) continue;
    const pid = Number(match[2]);
    if (pid === process.pid) continue;
    if (match[1] !== own && (lockHeld(join(parent, `.${match[1] ?? ""}.lock`)) || processAlive(pid))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** Removes the directories `mkdir -p` created (the first one it made, down to `deepest`), as far as they are empty. */
function removeEmptyParents(created: string | undefined, deepest: string): void {
  if (created === undefined) return;
  for (let dir = deepest; dir.length >= created.length; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === created) return;
  }
}

/** A file-system error in words: "no space left on device", "read-only file system", "permission denied". */
export function fileProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOSPC":
      return "no space left on device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "EROFS":
      return "read-only file system";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** `results/<scenario>-<UTC timestamp>` (e.g. funding-arb-btc-20261122T021500Z). */
export function defaultResultsPath(scenario: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return join("results", `${scenario}-${stamp}`);
}
