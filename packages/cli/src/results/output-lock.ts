import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { MstressError } from "@mstress/core";

/**
 * How long a lock may go untouched before another host may take it over. The holder touches it every
 * `lockRefreshMs`; a lock older than this belongs to a run that was killed (SIGKILL, a lost machine). On the
 * holder's own host a dead pid says so at once.
 */
export const lockStaleMs = 60_000;
const lockRefreshMs = 10_000;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** Whether a process of this host is alive (EPERM: alive, another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    return typeof owner.pid === "number" && typeof owner.host === "string" && typeof owner.since === "string" ? { pid: owner.pid, host: owner.host, since: owner.since } : null;
  } catch {
    return null;
  }
}

/**
 * Whether the lock file at `path` is held by a live run: its pid is alive on this host, or (another host's, or
 * unreadable) it was touched within `lockStaleMs`. A missing lock is not held.
 */
export function lockHeld(path: string, now = Date.now()): boolean {
  let modified: number;
  try {
    modified = statSync(path).mtimeMs;
  } catch {
    return false;
  }
  const owner = readOwner(path);
  if (owner !== null && owner.host === hostname()) return processAlive(owner.pid);
  return now - modified < lockStaleMs;
}

/**
 * The claim on a results directory: a lock file beside it (`.<name>.lock`), created exclusively (O_EXCL), holding
 * the owner's pid, host and start time, touched while held. A second run for the same directory is refused (exit
 * 2) while the first lives; a stale lock (its pid dead on this host, or untouched for a minute) is taken over.
 * Written here rather than with proper-lockfile because the pid is what makes a killed run's lock stale at once
 * on its own host, and a stale partial directory is recognised by its run's lock.
 */
export class OutputLock {
  readonly path: string;
  readonly #refresh: NodeJS.Timeout;
  #released = false;

  private constructor(path: string) {
    this.path = path;
    this.#refresh = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        // The lock vanished or its file system went away: the final rename still refuses to replace files.
      }
    }, lockRefreshMs);
    this.#refresh.unref();
  }

  /** Takes the lock for `field` (the flag the directory came from) or refuses with exit 2. */
  static acquire(path: string, field: string, target: string): OutputLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(path, "wx");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        if (lockHeld(path)) {
          const owner = readOwner(path);
          const who = owner === null ? "another mstress run" : `another mstress run (pid ${String(owner.pid)} on ${owner.host}, since ${owner.since})`;
          throw new MstressError("E_BAD_INPUT", `${field}: ${JSON.stringify(target)} is being written by ${who}; expected a results directory no other run is writing (wait for it, or remove ${path} if that run is gone)`);
        }
        try {
          unlinkSync(path);
        } catch {
          // Another run took the stale lock over first; the next attempt sees its lock.
        }
        continue;
      }
      writeSync(fd, `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`);
      closeSync(fd);
      return new OutputLock(path);
    }
    throw new MstressError("E_BAD_INPUT", `${field}: ${JSON.stringify(target)} is being claimed by another mstress run at this moment; try again`);
  }

  /** Removes the lock if it is still this process's. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#refresh);
    const owner = readOwner(this.path);
    if (owner !== null && owner.pid === process.pid && owner.host === hostname()) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone.
      }
    }
  }
}
