// What the venue commands' end-to-end tests share: the built binary run in a scratch folder (whose ./venues the
// commands search), and the importers' fixture responses copied there with a chosen modification time.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mstressBin } from "../commands/small-carry.test-support.js";

export const fixturesDirectory = fileURLToPath(new URL("../../../core/src/venue/import/fixtures/", import.meta.url));
export const shippedVenuesDirectory = fileURLToPath(new URL("../../../core/venues/", import.meta.url));

/** A fresh scratch folder: the working directory of the commands under test. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), "mstress-venues-"));
}

/** Runs `mstress <args>` in `cwd`, with extra environment variables. */
export function mstressIn(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}) {
  return spawnSync(process.execPath, [mstressBin, ...args], { encoding: "utf8", cwd, env: { ...process.env, ...env } });
}

export const dayMs = 86_400_000;

/**
 * Copies a venue's fixture responses into `<cwd>/responses/<venue>`, each edited by `edit` (given the file name
 * and its JSON; return it changed, or undefined to keep the text), with modification time `modifiedAt`.
 */
export function savedResponses(cwd: string, venue: string, modifiedAt: Date, edit: (file: string, json: unknown) => unknown = () => undefined): string {
  const directory = join(cwd, "responses", venue);
  mkdirSync(directory, { recursive: true });
  for (const file of readdirSync(join(fixturesDirectory, venue)).filter((name) => name.endsWith(".json"))) {
    const text = readFileSync(join(fixturesDirectory, venue, file), "utf8");
    const edited = edit(file, JSON.parse(text));
    writeFileSync(join(directory, file), edited === undefined ? text : JSON.stringify(edited));
    utimesSync(join(directory, file), modifiedAt, modifiedAt);
  }
  return directory;
}

/** Binance's responses with exchangeInfo's server time set to `at` too, so every asOf of the import is `at`. */
export function binanceResponsesAt(cwd: string, at: Date): string {
  return savedResponses(cwd, "binance-usdm", at, (file, json) => (file === "exchangeInfo.json" ? { ...(json as object), serverTime: at.getTime() } : undefined));
}
