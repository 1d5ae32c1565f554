import { scenarioSchema } from "@mstress/core";
import { compactDuration } from "../scenario/compact-duration.js";
import { fieldNoteFor, type FieldNote } from "./scenario-field-notes.js";

// docs/scenario-reference.md is generated from the zod scenario schema: its JSON Schema (zod 4's toJSONSchema)
// gives every field, its type, range and default; the units and meanings, which the schema does not carry at
// run time, come from the notes table in scenario-field-notes.ts. scenario-reference.test.ts fails when the
// committed file differs from a regeneration, when a schema field has no note, or when a note names no field.

/** The part of JSON Schema that zod emits for the scenario schema. */
interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly pattern?: string;
}

/** One documented field: its path as the reference writes it, and what the schema says about it. */
export interface SchemaField {
  /** `accounts[].deposit`, `legs[type=perp].qty`, `market.assets.<ASSET>.model[kind=gbm].volatility`. */
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly default: string;
  readonly range: string;
}

const largestSafeInteger = Number.MAX_SAFE_INTEGER;

/** Every field of the scenario schema, in the schema's order, parents before their children. */
export function schemaFields(): SchemaField[] {
  // The input side gives what a file may hold (durations as number or text); the output side holds the defaults
  // zod applies after a transform (a duration's default), which the input side cannot show.
  const input = scenarioSchema.toJSONSchema({ io: "input", unrepresentable: "any" }) as JsonSchema;
  const output = scenarioSchema.toJSONSchema({ io: "output", unrepresentable: "any" }) as JsonSchema;
  const fields: SchemaField[] = [];
  visitObject(input, output, "", fields);
  return fields;
}

function visitObject(node: JsonSchema, output: JsonSchema | undefined, prefix: string, fields: SchemaField[]): void {
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    visit(child, output?.properties?.[key], `${prefix}${key}`, required.has(key), fields);
  }
}

function visit(node: JsonSchema, output: JsonSchema | undefined, path: string, required: boolean, fields: SchemaField[]): void {
  const defaultValue = node.default ?? output?.default;
  const field = (type: string, range: string): SchemaField => ({ path, type, required: required && defaultValue === undefined, default: formatDefault(defaultValue, type), range });
  const variants = objectVariants(node);
  if (variants !== null) {
    fields.push(field(`one of (by \`${variants.discriminator}\`): ${variants.values.map((v) => `\`${v}\``).join(", ")}`, ""));
    variants.schemas.forEach((variant, i) => {
      visitObject(variant, (output?.oneOf ?? output?.anyOf)?.[i], `${path}[${variants.discriminator}=${variants.values[i] ?? ""}].`, fields);
    });
    return;
  }
  if (isObjectNode(node) && node.properties !== undefined) {
    fields.push(field("mapping", ""));
    visitObject(node, output, `${path}.`, fields);
    return;
  }
  if (isObjectNode(node) && typeof node.additionalProperties === "object") {
    const value = node.additionalProperties;
    const key = fieldNoteFor(path)?.key ?? "<key>";
    const outputValue = typeof output?.additionalProperties === "object" ? output.additionalProperties : undefined;
    if (isScalar(value)) {
      fields.push(field(`mapping of \`${key}\` to ${scalarType(value)}`, scalarRange(value)));
      return;
    }
    fields.push(field(`mapping of \`${key}\` to ${value.type === "array" ? "list" : "mapping"}`, ""));
    visit(value, outputValue, `${path}.${key}`, true, fields);
    return;
  }
  if (node.type === "array" && node.items !== undefined) {
    const items = node.items;
    const count = node.minItems === undefined ? "" : `at least ${node.minItems} item${node.minItems === 1 ? "" : "s"}`;
    if (isScalar(items)) {
      fields.push(field(`list of ${scalarType(items)}`, [count, scalarRange(items)].filter((s) => s !== "").join("; ")));
      return;
    }
    if (items.type === "array" && items.items !== undefined && isScalar(items.items)) {
      fields.push(field(`list of lists of ${scalarType(items.items)}`, [count, scalarRange(items.items)].filter((s) => s !== "").join("; ")));
      return;
    }
    fields.push(field("list", count));
    const itemVariants = objectVariants(items);
    if (itemVariants !== null) {
      itemVariants.schemas.forEach((variant, i) => {
        visitObject(variant, (output?.items?.oneOf ?? output?.items?.anyOf)?.[i], `${path}[${itemVariants.discriminator}=${itemVariants.values[i] ?? ""}].`, fields);
      });
    } else {
      visitObject(items, output?.items, `${path}[].`, fields);
    }
    return;
  }
  fields.push(field(scalarType(node), scalarRange(node)));
}

function isObjectNode(node: JsonSchema): boolean {
  return node.type === "object";
}

/** A union of objects told apart by a property with a constant value (zod's discriminated union). */
function objectVariants(node: JsonSchema): { discriminator: string; values: string[]; schemas: readonly JsonSchema[] } | null {
  const schemas = node.oneOf ?? node.anyOf;
  if (schemas === undefined || !schemas.every((s) => s.type === "object")) return null;
  const first = schemas[0];
  const discriminator = Object.keys(first?.properties ?? {}).find((key) => schemas.every((s) => typeof s.properties?.[key]?.const === "string"));
  if (discriminator === undefined) return null;
  return { discriminator, values: schemas.map((s) => String(s.properties?.[discriminator]?.const)), schemas };
}

function isScalar(node: JsonSchema): boolean {
  const union = node.oneOf ?? node.anyOf;
  if (union !== undefined) return union.every(isScalar);
  return node.type !== "object" && node.type !== "array";
}

function isDuration(node: JsonSchema): boolean {
  return Array.isArray(node.type) && node.type.includes("number") && node.type.includes("string");
}

function scalarType(node: JsonSchema): string {
  const union = node.oneOf ?? node.anyOf;
  if (union !== undefined) return union.map(scalarType).join(" | ");
  if (isDuration(node)) return "duration";
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum !== undefined) return node.enum.map((v) => `\`${String(v)}\``).join(" | ");
  if (node.type === undefined) return "any";
  return Array.isArray(node.type) ? node.type.join(" or ") : String(node.type);
}

function scalarRange(node: JsonSchema): string {
  const union = node.oneOf ?? node.anyOf;
  if (union !== undefined) return union.map(scalarRange).filter((r) => r !== "").join("; ");
  const parts: string[] = [];
  const low = node.exclusiveMinimum ?? node.minimum;
  const high = node.maximum === largestSafeInteger ? undefined : (node.exclusiveMaximum ?? node.maximum);
  if (low !== undefined && high !== undefined) {
    parts.push(`${node.exclusiveMinimum === undefined ? "[" : "("}${low}, ${high}${node.exclusiveMaximum === undefined ? "]" : ")"}`);
  } else if (low !== undefined) {
    parts.push(`${node.exclusiveMinimum === undefined ? ">=" : ">"} ${low}`);
  } else if (high !== undefined) {
    parts.push(`${node.exclusiveMaximum === undefined ? "<=" : "<"} ${high}`);
  }
  if (node.type === "integer") parts.push("whole number");
  if (node.minLength !== undefined && node.minLength > 0) parts.push("non-empty");
  if (node.pattern !== undefined) parts.push(`matches \`${node.pattern}\``);
  return parts.join("; ");
}

function formatDefault(value: unknown, type: string): string {
  if (value === undefined) return "";
  if (type === "duration" && typeof value === "number") return `${value} s (${compactDuration(value)})`;
  return `\`${JSON.stringify(value)}\``;
}


const cell = (text: string): string => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The reference page, in Markdown. */
export function scenarioReference(fields: readonly SchemaField[] = schemaFields()): string {
  // A section per top-level block; top-level fields without children share the first one.
  const topOf = (path: string): string => /^[A-Za-z]+/.exec(path)?.[0] ?? path;
  const blocks = new Set(fields.filter((f) => f.path !== topOf(f.path)).map((f) => topOf(f.path)));
  const sections = new Map<string, SchemaField[]>();
  for (const f of fields) {
    const section = blocks.has(topOf(f.path)) ? `\`${topOf(f.path)}\`` : "Top level";
    sections.set(section, [...(sections.get(section) ?? []), f]);
  }
  const lines = [
    "# Scenario reference",
    "",
    "<!-- Generated from packages/core/src/scenario/scenario-schema.ts by `pnpm docs:scenario`; do not edit by hand. -->",
    "",
    "Every field of a scenario file, generated from the zod schema that validates it (types, ranges and defaults) and",
    "from the notes in `packages/cli/src/docs/scenario-field-notes.ts` (units and meaning). A test fails when this page",
    "and the schema disagree. `mstress validate <scenario>` checks a file against all of it, plus the cross-field and",
    "sense checks listed at the end.",
    "",
    "How to read a path: `accounts[].deposit` is the `deposit` of every item of the `accounts` list;",
    "`legs[type=perp].qty` is a field of the list items whose `type` is `perp`; `<ASSET>` stands for a key you choose",
    "(an asset name such as `BTC`). Durations are seconds as a number, or text with a unit: `90s`, `15m`, `1h`, `3d`.",
    "Rates are fractions (0.0001 = 0.01 %); rates per year use a 365-day year. Money is in the quote currency of the",
    "venue's contracts (USDT or USDC). *Required* means the file must give it; a field with a default may be left out.",
  ];
  for (const [section, rows] of sections) {
    lines.push("", `## ${section}`, "", "| field | type | unit | default | range | required | meaning |", "|---|---|---|---|---|---|---|");
    for (const f of rows) {
      const note: FieldNote | undefined = fieldNoteFor(f.path);
      lines.push(`| \`${cell(f.path)}\` | ${cell(f.type)} | ${cell(note?.unit ?? "")} | ${cell(f.default)} | ${cell(f.range)} | ${f.required ? "yes" : ""} | ${cell(note?.meaning ?? "")} |`);
    }
  }
  lines.push("", "## Checks across fields", "", ...crossFieldChecks.map((check) => `- ${check}`), "");
  return lines.join("\n");
}

/**
 * The rules a single field's type cannot state, enforced by the schema's refinements (scenario-schema.ts,
 * market-schema.ts) and by `mstress validate` / `mstress run` against the venue profiles.
 */
const crossFieldChecks = [
  "Names of accounts and of legs are unique; every leg's `account`, every route's `legs` and every limit's `account` or `route` name one that exists.",
  "With `isolated` among the modes every perp leg needs `isolatedMargin`, each at least its initial margin (notional / the bracket's max leverage), and an account's allocations add up to no more than its deposit.",
  "In cross and portfolio mode an account's deposit (plus spot collateral at its ratio, in portfolio) covers the initial margin of its positions.",
  "`portfolio` is compared only when every unpinned account's venue profile has a portfolio block (of the shipped venues, binance-usdm).",
  "A perp's `symbol` is one its venue lists; its base asset, and every spot leg's `asset`, is modelled under `market.assets`.",
  "`market.step` divides every perp's funding interval (1 h, 4 h, 8 h) and the horizon is a whole number of steps.",
  "A jump leg expects at most 0.5 jumps per step (with the regime's jump multiplier); up-jumps have a mean >= 0 and down-jumps <= 0; GARCH needs alpha + beta < 1; half-lives are positive.",
  "The correlation matrix lists each asset once, is symmetric with a unit diagonal and is positive semi-definite; bootstrapped assets take no correlation and share one block length.",
  "A stress overlay ends by the horizon, lasts a positive time, names modelled assets, and sets at least one of move, funding or basis.",
  "A scenario has a `path` (for `mstress replay`), a `market` (for `mstress run`), or both; a path's points start at t = 0 in time order and give `price` or `prices`, not both.",
  "A limit gives `max` or `min`; probability metrics take bounds in [0, 1]; `confidence` applies to probability metrics only; an account's limit is on liquidationProbability, a route's on a probability.",
  "`mstress validate` also warns (without failing) when a route of several legs does not net to about zero delta per asset, and when `market.step` does not divide a funding interval while funding is switched off, and when a policy's delay is under half the 1-minute sub-step it is timed on.",
];
