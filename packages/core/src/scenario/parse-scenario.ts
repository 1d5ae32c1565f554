import { parseDocument } from "yaml";
import { describeZodIssue } from "../errors/describe-zod-issue.js";
import { MstressError } from "../errors/mstress-error.js";
import { scenarioSchema, type Scenario } from "./scenario-schema.js";

/**
 * Parses and validates a scenario from YAML text. Every problem is reported at once, one line each naming the
 * field and what was expected; `origin` (the file name) starts each line.
 */
export function parseScenario(text: string, origin: string): Scenario {
  return validateScenario(parseScenarioYaml(text, origin), origin);
}

/** The scenario as written (plain data, before validation and defaults); a sweep edits this form. */
export function parseScenarioYaml(text: string, origin: string): unknown {
  const document = parseDocument(text, { prettyErrors: false });
  const first = document.errors[0];
  if (first !== undefined) {
    const where = first.linePos?.[0];
    throw new MstressError(
      "E_SCENARIO_YAML",
      `${origin}${where === undefined ? "" : `:${where.line}:${where.col}`}: malformed YAML: ${first.message.split("\n")[0] ?? ""}`,
    );
  }
  try {
    return document.toJS();
  } catch (error) {
    // yaml refuses a document whose aliases expand without bound (the "billion laughs"), as a ReferenceError.
    throw new MstressError("E_SCENARIO_YAML", `${origin}: malformed YAML: ${error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)}`);
  }
}

/** Validates a scenario given as plain data, with the same one-line-per-problem errors as `parseScenario`. */
export function validateScenario(raw: unknown, origin: string): Scenario {
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    throw new MstressError("E_SCENARIO_SCHEMA", result.error.issues.map((issue) => `${origin}: ${describeZodIssue(issue, raw)}`).join("\n"));
  }
  return result.data;
}
