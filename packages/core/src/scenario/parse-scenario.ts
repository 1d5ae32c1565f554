import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { MstressError } from "../errors/mstress-error.js";
import { checkAgainstSchema } from "../errors/schema-problems.js";
import { resolveScenarioStep, scenarioSchema, type Scenario } from "./scenario-schema.js";

/** Line and column (1-based) of a field in the scenario's text, for an error to point at. */
export type FieldLocator = (path: readonly PropertyKey[], isKey?: boolean) => { readonly line: number; readonly col: number } | undefined;

/**
 * Parses and validates a scenario from YAML text. Every problem is reported at once, one line each naming the
 * field and what was expected; each line starts with `origin` (the file name) and the field's line and column.
 */
export function parseScenario(text: string, origin: string): Scenario {
  const { raw, locate } = readScenarioYaml(text, origin);
  return validateScenario(raw, origin, locate);
}

/** The scenario as written (plain data, before validation and defaults); a sweep edits this form. */
export function parseScenarioYaml(text: string, origin: string): unknown {
  return readScenarioYaml(text, origin).raw;
}

/** The scenario as written and a locator of its fields in the text. */
export function readScenarioYaml(text: string, origin: string): { readonly raw: unknown; readonly locate: FieldLocator } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  const first = document.errors[0];
  if (first !== undefined) {
    const where = first.linePos?.[0];
    throw new MstressError(
      "E_SCENARIO_YAML",
      `${origin}${where === undefined ? "" : `:${where.line}:${where.col}`}: malformed YAML: ${first.message.split("\n")[0] ?? ""}`,
    );
  }
  try {
    return { raw: document.toJS(), locate: (path, isKey) => locateField(document, lineCounter, path, isKey === true) };
  } catch (error) {
    // yaml refuses a document whose aliases expand without bound (the "billion laughs"), as a ReferenceError.
    throw new MstressError("E_SCENARIO_YAML", `${origin}: malformed YAML: ${error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)}`);
  }
}

/**
 * Validates a scenario given as plain data, with the same one-line-per-problem errors as `parseScenario`; with a
 * locator, each line carries the field's line and column.
 */
export function validateScenario(raw: unknown, origin: string, locate?: FieldLocator): Scenario {
  const result = checkAgainstSchema(scenarioSchema, raw);
  if (!result.success) {
    const line = (path: readonly PropertyKey[], text: string, isKey?: boolean): string => {
      const where = locate?.(path, isKey);
      return `${origin}${where === undefined ? "" : `:${where.line}:${where.col}`}: ${text}`;
    };
    throw new MstressError("E_SCENARIO_SCHEMA", result.problems.map((problem) => line(problem.path, problem.text, problem.isKey)).join("\n"));
  }
  return resolveScenarioStep(result.data);
}

/**
 * Where a field is: its value when that is a plain value (its key when the name is the problem, or the value a
 * mapping or list); for a field that is missing, the nearest enclosing one that is there.
 */
function locateField(document: Document, lineCounter: LineCounter, path: readonly PropertyKey[], isKey: boolean): { line: number; col: number } | undefined {
  let node: unknown = document.contents;
  let offset = isScalar(node) || isMap(node) || isSeq(node) ? node.range?.[0] : undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === key);
      if (pair === undefined) break;
      offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? offset) : offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      const item: unknown = node.items[key];
      if (!(isScalar(item) || isMap(item) || isSeq(item))) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
    if (isScalar(node) && !isKey) offset = node.range?.[0] ?? offset;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset);
}
