import { z } from "zod";
import { MstressError } from "../../errors/mstress-error.js";

/** A response a user saved from a venue's API (the CLI reads the file; core only sees its text and facts). */
export interface ApiResponse {
  /** The file name under the import directory, e.g. "leverageBracket.json": every message and source names it. */
  readonly file: string;
  readonly text: string;
  /** SHA-256 of the file's bytes, hex: the source of each figure names it, so a figure traces to one response. */
  readonly sha256: string;
  /** The file's modification time (ISO 8601): a figure's asOf when the response carries no server time. */
  readonly modifiedAt: string;
}

/** One endpoint an importer reads, and how its responses are saved. */
export interface VenueEndpoint {
  /** The file name stem: `role.json`, or with `many`, also `role-<anything>.json` (pages, one per symbol). */
  readonly role: string;
  /** The request as a figure's source names it, e.g. "GET https://fapi.binance.com/fapi/v1/exchangeInfo". */
  readonly request: string;
  /** The documentation page that describes the response (the fixtures follow it). */
  readonly docs: string;
  readonly many: boolean;
  readonly required: boolean;
}

/** An input error about saved responses: exit 2, one line per problem, each naming the file and a JSON path. */
export function responseError(lines: readonly string[]): MstressError {
  return new MstressError("E_VENUE_RESPONSE", lines.join("\n"));
}

/** `$`, `$.symbols[3].filters`, `$["odd key"]`: the JSONPath of a location in a response. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${text}.${name}` : `${text}[${JSON.stringify(name)}]`;
  }, "$");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const numericText = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  const text = JSON.stringify(value);
  // A whole response where a field was expected would fill the terminal; its start is enough to recognise it.
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A decimal figure as the venue sends it, a JSON number or a numeric string ("0.0065"), kept as decimal text so
 * that arithmetic on it (contracts x face value x mark) can be exact.
 */
export const decimalText = z.unknown().transform((value, context) => {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && numericText.test(value)) return value;
  context.addIssue({ code: "custom", message: `expected a number or a numeric string, got ${describeValue(value)}` });
  return z.NEVER;
});

/** A decimal figure, as a float64. */
export const decimal = decimalText.transform(Number);

/** Bybit sends "" for "no value" (mmDeduction of the first tier). */
export const optionalDecimal = z.unknown().transform((value, context) => {
  if (value === undefined || value === "" || value === null) return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && numericText.test(value)) return Number(value);
  context.addIssue({ code: "custom", message: `expected a number, a numeric string or "", got ${describeValue(value)}` });
  return z.NEVER;
});

/** A millisecond timestamp as a number or a string ("1597026383085"). */
export const millisecondTime = z.unknown().transform((value, context) => {
  const ms = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof ms === "number" && Number.isSafeInteger(ms) && ms > 0) return ms;
  context.addIssue({ code: "custom", message: `expected a millisecond timestamp, got ${describeValue(value)}` });
  return z.NEVER;
});

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let node = json;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function expectation(issue: z.core.$ZodIssue, json: unknown): string {
  if (issue.code === "custom") return issue.message;
  const got = `, got ${describeValue(valueAt(json, issue.path))}`;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}${got}`;
    case "invalid_value":
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}${got}`;
    case "too_small":
      return issue.origin === "array" ? `expected at least ${String(issue.minimum)} item(s)` : `expected at least ${String(issue.minimum)}${got}`;
    default:
      return `${issue.message}${got}`;
  }
}

// Lines beyond this many are summed up: a wholly wrong file would otherwise print one line per symbol.
const maxLines = 8;

/**
 * Parses a saved response and checks it against the documented shape. A file that is not JSON, a venue's error
 * body (`{"code":-2015,"msg":...}`, `retCode != 0`) and every field that is missing or of the wrong kind are bad
 * input, each reported as `file: $.json.path: what was expected`. `schema` may depend on the JSON (an endpoint that
 * answers with one object or a list of them).
 */
export function parseResponse<T>(
  response: ApiResponse,
  endpoint: VenueEndpoint,
  schema: z.ZodType<T> | ((json: unknown) => z.ZodType<T>),
  errorBody: (json: unknown) => { readonly path: string; readonly message: string } | null,
): T {
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch (error) {
    throw responseError([`${response.file}: $: not JSON (${error instanceof Error ? error.message : String(error)}); expected the response of ${endpoint.request}`]);
  }
  const failure = errorBody(json);
  if (failure !== null) {
    throw responseError([`${response.file}: ${failure.path}: the venue answered with an error (${failure.message}), not the response of ${endpoint.request}; fetch it again (README: Venue files)`]);
  }
  const result = (typeof schema === "function" ? schema(json) : schema).safeParse(json);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${response.file}: ${jsonPath(issue.path)}: ${expectation(issue, json)}`);
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`${response.file}: ... and ${lines.length - maxLines} more problems; is it the response of ${endpoint.request}?`);
  throw responseError(shown);
}

/** A figure group's `source`: the request and the exact file it was read from. */
export function responseSource(endpoint: VenueEndpoint, response: ApiResponse, note = ""): string {
  return `${endpoint.request} (${response.file}, sha256 ${response.sha256})${note === "" ? "" : `; ${note}`}`;
}

/** ISO 8601 of a millisecond timestamp (a response's server time). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
