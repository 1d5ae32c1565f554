import { z } from "zod";

// A sweep runs one scenario over a grid of parameter values with the same seed at every point (common random
// numbers), so differences between points are the parameters' effect, not sampling noise. A parameter is
// addressed in the scenario as written (before defaults), by a dotted path or by one of the short names below.

/** A swept value: a number, or text for fields that take text (a duration such as "7d", a model kind). */
export type SweepValue = number | string;

export interface SweepParameter {
  readonly name: string;
  readonly values: readonly SweepValue[];
}

const sweepValue = z.union([z.number(), z.string().min(1)]);

/** The scenario's optional `sweep:` block: parameter name -> the values to try, in order. */
export const sweepSchema = z.strictObject({
  parameters: z.record(z.string().min(1), z.array(sweepValue).min(1)).refine((p) => Object.keys(p).length > 0, { message: "expected at least one parameter" }),
  /** Paths per grid point; `--paths` overrides it. */
  paths: z.number().int().positive().optional(),
});

export type SweepSpec = z.output<typeof sweepSchema>;

/**
 * Short names a desk types on the command line, each standing for every field it names in the scenario:
 * `isolatedMargin` every perp leg's allocation, `deposit` every account's deposit, `vol` (or `volatility`) every
 * asset model's annualised volatility, `qty` every leg's quantity, `horizon` the market's horizon.
 */
export const sweepShortNames = ["isolatedMargin", "deposit", "vol", "volatility", "qty", "horizon"] as const;

type RawObject = Record<string, unknown>;

function isObject(value: unknown): value is RawObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function namedItems(raw: RawObject, key: string): RawObject[] {
  const items = raw[key];
  return Array.isArray(items) ? items.filter(isObject) : [];
}

/** The objects and keys a parameter writes, or a problem naming what was expected. */
function targets(raw: RawObject, name: string): { object: RawObject; key: string }[] | string {
  const market = isObject(raw.market) ? raw.market : undefined;
  const assetModels = (): RawObject[] =>
    isObject(market?.assets) ? Object.values(market.assets).filter(isObject).map((asset) => asset.model).filter(isObject) : [];
  switch (name) {
    case "isolatedMargin": {
      const perps = namedItems(raw, "legs").filter((leg) => leg.type === "perp");
      return perps.length > 0 ? perps.map((object) => ({ object, key: "isolatedMargin" })) : "expected a scenario with a perp leg";
    }
    case "deposit":
      return namedItems(raw, "accounts").map((object) => ({ object, key: "deposit" }));
    case "qty":
      return namedItems(raw, "legs").map((object) => ({ object, key: "qty" }));
    case "vol":
    case "volatility": {
      const models = assetModels().filter((model) => "volatility" in model);
      return models.length > 0 ? models.map((object) => ({ object, key: "volatility" })) : "expected a market whose asset models have a volatility";
    }
    case "horizon":
      return market === undefined ? "expected a scenario with a market block" : [{ object: market, key: "horizon" }];
    default:
      return dottedTarget(raw, name);
  }
}

/**
 * `legs.short-perp.isolatedMargin`, `market.assets.BTC.model.volatility`, `accounts.0.deposit`: each segment is
 * an object key, or an array element by its `name` or its index. The field must be in the scenario as written
 * (a misspelt path fails here, by name); the scenario schema then validates the value.
 */
function dottedTarget(raw: RawObject, path: string): { object: RawObject; key: string }[] | string {
  const segments = path.split(".");
  const key = segments.pop() ?? "";
  if (segments.length === 0) {
    return `expected a dotted path into the scenario (such as legs.<leg>.isolatedMargin) or one of ${sweepShortNames.join(", ")}`;
  }
  let node: unknown = raw;
  for (const [depth, segment] of segments.entries()) {
    const where = segments.slice(0, depth + 1).join(".");
    if (Array.isArray(node)) {
      const items = node as unknown[];
      const byName = items.find((item) => isObject(item) && item.name === segment);
      node = byName ?? (/^\d+$/.test(segment) ? items[Number(segment)] : undefined);
    } else if (isObject(node)) {
      node = node[segment];
    } else {
      node = undefined;
    }
    if (node === undefined) return `${where} is not in the scenario`;
  }
  if (!isObject(node) || !(key in node)) return `${path} is not in the scenario`;
  return [{ object: node, key }];
}

/**
 * A copy of the raw scenario with every parameter set to its value at one grid point. Problems (a parameter the
 * scenario has no field for) come back one line each, naming the parameter.
 */
export function applySweepPoint(raw: unknown, point: readonly { name: string; value: SweepValue }[]): { scenario: unknown; problems: string[] } {
  const copy: unknown = structuredClone(raw);
  const problems: string[] = [];
  if (!isObject(copy)) return { scenario: copy, problems: ["(top level): expected a scenario mapping"] };
  for (const { name, value } of point) {
    const found = targets(copy, name);
    if (typeof found === "string") problems.push(`--set ${name}: ${found}`);
    else for (const { object, key } of found) object[key] = value;
  }
  delete copy.sweep;
  return { scenario: copy, problems };
}

/** Every combination of the parameters' values, the first parameter varying slowest (row-major). */
export function sweepGrid(parameters: readonly SweepParameter[]): { name: string; value: SweepValue }[][] {
  let grid: { name: string; value: SweepValue }[][] = [[]];
  for (const parameter of parameters) {
    grid = grid.flatMap((point) => parameter.values.map((value) => [...point, { name: parameter.name, value }]));
  }
  return grid;
}

/** `isolatedMargin=1000,2000,3000` -> a parameter; numbers where a value reads as one, else text. */
export function parseSweepAssignment(text: string): SweepParameter | string {
  const match = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(text.trim());
  if (match === null) return `expected name=value,value,... such as isolatedMargin=1000,2000,3000, got ${JSON.stringify(text)}`;
  const values = (match[2] ?? "").split(",").map((cell) => cell.trim());
  if (values.some((cell) => cell === "")) return `expected non-empty values separated by commas, got ${JSON.stringify(text)}`;
  return { name: match[1] ?? "", values: values.map((cell) => (cell !== "" && Number.isFinite(Number(cell)) ? Number(cell) : cell)) };
}
