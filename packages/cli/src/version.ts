import { readFileSync } from "node:fs";

/**
 * The mstress version, read once from packages/cli/package.json: the one place it is written. This module sits
 * one folder below the package root both as source (src/) and built (dist/), so the same relative URL finds it.
 */
export const mstressVersion: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
