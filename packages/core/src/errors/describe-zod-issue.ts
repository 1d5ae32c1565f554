import type { z } from "zod";

/** `legs.0.qty` style path of a zod issue, or "(top level)". */
export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length === 0 ? "(top level)" : issue.path.map(String).join(".");
}

/**
 * One line per problem, naming the field and what was expected, e.g.
 * `legs.0.qty: expected a number > 0, got -1`. All problems are reported at once (validate at the boundary).
 */
export function describeZodIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const received = valueAt(input, issue.path);
  const got = received === undefined || issue.code === "custom" || issue.path.length === 0 ? "" : `, got ${shownValue(received)}`;
  return `${issuePath(issue)}: ${expectation(issue)}${got}`;
}

/** A value as the message shows it: NaN and Infinity by name (JSON would say null), long text cut short. */
function shownValue(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 40)}..." (${String(text.length)} characters)` : text;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "too_small":
      if (issue.origin === "array") return `expected at least ${String(issue.minimum)} item${issue.minimum === 1 ? "" : "s"}`;
      return `expected a value ${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}`;
    case "too_big":
      if (issue.origin === "array") return `expected at most ${String(issue.maximum)} item${issue.maximum === 1 ? "" : "s"}`;
      return `expected a value ${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
    default:
      return issue.message;
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node === null || typeof node === "object" ? undefined : node;
}
