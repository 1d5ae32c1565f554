import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { MstressError } from "@mstress/core";

/** The repository's scenarios/ folder, found from this module's place in packages/cli/{src,dist}/scenario/. */
export const shippedScenariosDirectory = fileURLToPath(new URL("../../../../scenarios/", import.meta.url));

/** A scenario file's opening two-line comment: the question it answers, and what the answer should look like. */
export interface ScenarioHeader {
  readonly question: string;
  readonly answer: string;
}

/** Reads `# Question: ...` and `# Answer: ...` from the first two lines, or says what is missing. */
export function scenarioHeader(text: string): ScenarioHeader | string {
  const [first = "", second = ""] = text.split(/\r?\n/, 2);
  const question = /^# Question: (.+)$/.exec(first)?.[1]?.trim();
  const answer = /^# Answer: (.+)$/.exec(second)?.[1]?.trim();
  if (question === undefined) return "expected the first line to be '# Question: <the question it answers>'";
  if (answer === undefined) return "expected the second line to be '# Answer: <what the answer should look like>'";
  return { question, answer };
}

export interface ShippedScenario extends ScenarioHeader {
  readonly file: string;
  readonly name: string;
  /** The commands it is written for: `run` (it has a market block), `replay` (a scripted path). */
  readonly commands: readonly ("run" | "replay")[];
}

/** Every `*.yaml` in the directory, sorted by name (a variant `<name>.<variant>` after its scenario), with its question. */
export function shippedScenarios(directory = shippedScenariosDirectory): ShippedScenario[] {
  if (!existsSync(directory)) throw new MstressError("E_BAD_INPUT", `scenarios: no scenarios folder at ${directory} (mstress lists the scenarios shipped next to its installation)`);
  return readdirSync(directory)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => file.slice(0, -".yaml".length))
    .sort()
    .map((stem) => {
      const file = `${stem}.yaml`;
      const text = readFileSync(join(directory, file), "utf8");
      const header = scenarioHeader(text);
      const fallback = { question: "(no question: the file does not start with '# Question:')", answer: "" };
      const commands: ("run" | "replay")[] = [...(/^market:/m.test(text) ? (["run"] as const) : []), ...(/^path:/m.test(text) ? (["replay"] as const) : [])];
      return { file: join(directory, file), name: stem, commands, ...(typeof header === "string" ? fallback : header) };
    });
}
