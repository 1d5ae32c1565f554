import { createHash } from "node:crypto";
import { parseScenario, type Scenario } from "@mstress/core";
import { readInputFile } from "../input/read-input-file.js";

/** A scenario file as read: its text (what the results keep as scenario.yaml), its SHA-256, and the validated scenario. */
export interface LoadedScenario {
  readonly file: string;
  readonly text: string;
  readonly sha256: string;
  readonly scenario: Scenario;
}

/** Reads (a regular file of at most 1 MiB) and validates a scenario file; the file name starts every error line. */
export function loadScenario(file: string): LoadedScenario {
  const text = readInputFile(file, "scenario", "scenario");
  return { file, text, sha256: createHash("sha256").update(text).digest("hex"), scenario: parseScenario(text, file) };
}
