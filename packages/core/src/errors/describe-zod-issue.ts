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
  const got = received === undefined || issue.code === "custom" ? "" : `, got ${JSON.stringify(received)}`;
  return `${issuePath(issue)}: ${expectation(issue)}${got}`;
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
