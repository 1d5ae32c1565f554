import type { z } from "zod";
import { nearestName } from "./nearest-name.js";

/** `legs.0.qty` style path of a zod issue, or "(top level)". */
export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length === 0 ? "(top level)" : issue.path.map(String).join(".");
}

/**
 * The path of a field as a reader finds it: an item of a list that has a `name` is named by it
 * (`legs.short-perp.qty`, not `legs.0.qty`), any other item by its index; "(top level)" for the document.
 */
export function fieldPath(path: readonly PropertyKey[], input: unknown): string {
  if (path.length === 0) return "(top level)";
  let node = input;
  return path
    .map((key) => {
      const item = node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
      node = item;
      const name = typeof key === "number" && item !== null && typeof item === "object" ? (item as Record<string, unknown>).name : undefined;
      return typeof name === "string" && name !== "" ? name : String(key);
    })
    .join(".");
}

/**
 * One line per problem, naming the field and what was expected, e.g.
 * `legs.short-perp.qty: expected a value > 0, got -1`. All problems are reported at once (validate at the boundary).
 */
export function describeZodIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const received = valueAt(input, issue.path);
  const missing = received === undefined && issue.path.length > 0 && isMissing(input, issue.path);
  // The whole document is never echoed (a top-level issue has an empty path).
  const got = missing || received === undefined || issue.code === "custom" || issue.code === "unrecognized_keys" || issue.path.length === 0 ? "" : `, got ${describeValue(received)}`;
  return `${fieldPath(issue.path, input)}: ${missing ? "missing; " : ""}${expectation(issue, received)}${got}${nearMiss(issue, received)}`;
}

/**
 * A received value as the user wrote it; a number YAML read as NaN or infinite is named, not printed as null, and
 * long text is cut short (an error never echoes a file's content beyond the offending field).
 */
export function describeValue(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) {
    return Number.isNaN(value) ? "NaN (not a number)" : `${value > 0 ? "" : "-"}Infinity (out of range: beyond ±1.8e308)`;
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 40)}..." (${String(text.length)} characters)` : text;
}

const typeNames: Readonly<Record<string, string>> = {
  number: "a number",
  string: "text",
  boolean: "true or false",
  object: "a mapping of fields",
  array: "a list",
  record: "a mapping",
};

function expectation(issue: z.core.$ZodIssue, received: unknown): string {
  // A schema that words its own expectation (a range with both ends, an example) is quoted as it wrote it.
  if (issue.message.startsWith("expected ")) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "number" && typeof received === "number") return "expected a finite number";
      return `expected ${typeNames[issue.expected] ?? issue.expected}`;
    case "too_small":
      if (issue.origin === "array") return `expected at least ${String(issue.minimum)} item${issue.minimum === 1 ? "" : "s"}`;
      return `expected a value ${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}`;
    case "too_big":
      if (issue.origin === "array") return `expected at most ${String(issue.maximum)} item${issue.maximum === 1 ? "" : "s"}`;
      return `expected a value ${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}`;
    case "invalid_value":
      return oneOf(issue.values);
    case "invalid_union": {
      if ("options" in issue && issue.options.length > 0) return oneOf(issue.options);
      const types = [...new Set(issue.errors.flatMap((errors) => errors.flatMap((e) => (e.code === "invalid_type" && e.path.length === 0 ? [typeNames[e.expected] ?? e.expected] : []))))];
      return types.length > 0 ? `expected ${types.join(" or ")}` : issue.message;
    }
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
    default:
      return issue.message;
  }
}

function oneOf(values: readonly unknown[]): string {
  return `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
}

/** " (did you mean X?)" when the received text is a near miss of one allowed value. */
function nearMiss(issue: z.core.$ZodIssue, received: unknown): string {
  const values = issue.code === "invalid_value" ? issue.values : issue.code === "invalid_union" && "options" in issue ? (issue.options ?? []) : [];
  const meant = typeof received === "string" ? nearestName(received, values.filter((v): v is string => typeof v === "string")) : undefined;
  return meant === undefined ? "" : ` (did you mean ${meant}?)`;
}

function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  const parent = nodeAt(input, path.slice(0, -1));
  const key = path[path.length - 1];
  return parent !== null && typeof parent === "object" && key !== undefined && !(key in parent);
}

function nodeAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The scalar at `path`, or undefined for a mapping, a list or nothing. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  const node = nodeAt(input, path);
  return node === null || typeof node === "object" ? undefined : node;
}
