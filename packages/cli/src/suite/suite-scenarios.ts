import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { MstressError, isMstressError } from "@mstress/core";
import { loadScenario, type LoadedScenario } from "../scenario/load-scenario.js";
import { scenarioHeader } from "../scenario/shipped-scenarios.js";

/** The files a suite directory holds beside its routes' directories: no scenario may take one of these names. */
export const suiteFileNames: readonly string[] = ["index.html", "suite.json", "suite.csv", "manifest.json", "charts"];

/** One scenario of a suite as found: to run, skipped (with why), or bad input (with why). */
export interface SuiteScenario {
  /** The file as the user named it (a directory's entries joined to the directory as given). */
  readonly file: string;
  /** The scenario's name (its results go to `<suite>/<name>/`), or the file's stem when it cannot be read. */
  readonly name: string;
  /** What the route asks, in a line: the file's `# Question:` comment, else its description's first sentence. */
  readonly description: string;
  readonly status: "run" | "skipped" | "bad input";
  /** Why it is skipped or bad input, in one line; null for a scenario to run. */
  readonly reason: string | null;
  /** The scenario as read and validated, for one to run. */
  readonly loaded: LoadedScenario | null;
}

const stem = (file: string): string => basename(file).replace(/\.ya?ml$/, "");

/** The question a scenario file opens with (`# Question: ...`), else the first sentence of its description, cut at 240 characters. */
function questionOf(text: string, description: string): string {
  const header = scenarioHeader(text);
  if (typeof header !== "string") return header.question;
  const first = description.trim().split(/(?<=[.?!])\s/)[0] ?? "";
  return first.length > 240 ? `${first.slice(0, 239)}…` : first;
}

/** An error's message as one line (a scenario's schema errors come a line each). */
export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n").join("; ");
}

/**
 * The scenario files the arguments name: a file as given, a directory as its `*.yaml` and `*.yml` files (not
 * hidden ones), sorted by name. An argument that is neither, or a directory with no scenario file, is bad input for
 * the whole suite (nothing can be planned).
 */
function scenarioFiles(args: readonly string[]): { file: string; listed: boolean }[] {
  if (args.length === 0) throw new MstressError("E_BAD_INPUT", "suite: expected at least one scenario file or directory of scenarios");
  return args.flatMap((arg) => {
    if (!existsSync(arg)) throw new MstressError("E_BAD_INPUT", `suite: ${JSON.stringify(arg)} does not exist; expected a scenario file or a directory of scenarios`);
    if (!statSync(arg).isDirectory()) return [{ file: arg, listed: true }];
    const files = readdirSync(arg)
      .filter((name) => /\.ya?ml$/.test(name) && !name.startsWith("."))
      .sort()
      .map((name) => ({ file: join(arg, name), listed: false }));
    if (files.length === 0) throw new MstressError("E_BAD_INPUT", `suite: ${JSON.stringify(arg)} holds no scenario file (*.yaml); expected a directory of scenarios`);
    return files;
  });
}

/**
 * The suite's scenarios, each read and validated once: a scenario with a market block is run; one with only a
 * scripted path is skipped when it came from a directory (a library holds replay examples too) and bad input when
 * named on its own (it was asked for and cannot run); a file that does not read or validate is bad input with the
 * reason `mstress run` would give. Names must be unique (each names a directory) and not one of the suite's own
 * files; the same file named twice is bad input the second time.
 */
export function suiteScenarios(args: readonly string[]): SuiteScenario[] {
  const names = new Map<string, string>();
  const files = new Set<string>();
  return scenarioFiles(args).map(({ file, listed }): SuiteScenario => {
    const bad = (name: string, reason: string, description = ""): SuiteScenario => ({ file, name, description, status: "bad input", reason, loaded: null });
    const full = resolve(file);
    if (files.has(full)) return bad(stem(file), `${file} is given twice; expected each scenario once`);
    files.add(full);
    let loaded: LoadedScenario;
    try {
      loaded = loadScenario(file);
    } catch (error) {
      if (isMstressError(error) && error.isInputError) return bad(stem(file), oneLine(error));
      throw error;
    }
    const { scenario } = loaded;
    const { name } = scenario;
    const description = questionOf(loaded.text, scenario.description);
    if (suiteFileNames.includes(name)) return bad(name, `name: ${JSON.stringify(name)} is a file of the suite directory; expected another name (a route's results go to <suite>/<name>/)`, description);
    const other = names.get(name);
    if (other !== undefined) return bad(name, `name: ${JSON.stringify(name)} is also the name of ${other}; expected each route of a suite to have its own name (it names its results directory)`, description);
    names.set(name, file);
    if (scenario.market === undefined) {
      const reason = "has only a scripted path (no market block): a scenario for mstress replay, not a Monte Carlo route";
      return listed ? bad(name, `market: expected market models to simulate; ${reason}`, description) : { file, name, description, status: "skipped", reason, loaded: null };
    }
    return { file, name, description, status: "run", reason: null, loaded };
  });
}
