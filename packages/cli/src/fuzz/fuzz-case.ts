import fc from "fast-check";
import { stringify } from "yaml";

// The CLI fuzzer's inputs: valid scenario documents, mutated the way a user's file goes wrong (a field of the
// wrong type, a number out of range or extreme, a key missing or unknown, a name used twice), run under a command
// with flags drawn the same way. cli-fuzz.test.ts runs a fixed-seed slice in `pnpm test`; `pnpm fuzz` runs many.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One fuzz case: a scenario file's text and the command line that reads it (`SCENARIO` and `OUT` are filled in). */
export interface FuzzCase {
  readonly scenario: string;
  readonly args: readonly string[];
  /** What was done to the valid document, for the report of a failure. */
  readonly mutations: readonly string[];
}

const btcMarket = (): { [key: string]: Json } => ({
  horizon: "2d",
  step: "1h",
  assets: {
    BTC: {
      price: 60000,
      model: { kind: "jump-diffusion", drift: 0, volatility: 0.6, jumps: { up: { intensity: 20, mean: 0.04, stdDev: 0.02 }, down: { intensity: 20, mean: -0.05, stdDev: 0.03 } } },
      basis: { mean: 0.0002, stdDev: 0.0008, halfLife: "6h" },
      funding: { mean: 0.0001, stdDev: 0.0001, halfLife: "1d", returnCoupling: 0.01, venueOffset: { "binance-usdm": 0.00002 } },
    },
  },
});

/** A BTC carry on Binance: short 1 BTC perp ($3,000 isolated) against 1 BTC spot, $10,000 deposited. */
const carryPositions = (): { [key: string]: Json } => ({
  accounts: [{ name: "futures", venue: "binance-usdm", deposit: 10000 }],
  legs: [
    { name: "short-perp", account: "futures", type: "perp", symbol: "BTCUSDT", side: "short", qty: 1, isolatedMargin: 3000 },
    { name: "long-spot", account: "futures", type: "spot", asset: "BTC", side: "long", qty: 1 },
  ],
});

/** Valid documents the mutations start from: a carry on a market, two venues with stress and a regime, a replay. */
export const baseScenarios: readonly { readonly name: string; readonly document: { [key: string]: Json } }[] = [
  {
    name: "carry",
    document: {
      name: "fuzz-carry",
      ...carryPositions(),
      modes: ["isolated", "cross", "portfolio"],
      limits: [{ mode: "cross", metric: "liquidationProbability", max: 0.5 }],
      market: btcMarket(),
    },
  },
  {
    name: "cross-venue",
    document: {
      name: "fuzz-cross-venue",
      accounts: [
        { name: "binance", venue: "binance-usdm", deposit: 10000 },
        { name: "hyperliquid", venue: "hyperliquid", deposit: 10000 },
      ],
      legs: [
        { name: "short-binance", account: "binance", type: "perp", symbol: "BTCUSDT", side: "short", qty: 1, isolatedMargin: 6000 },
        { name: "long-hyperliquid", account: "hyperliquid", type: "perp", symbol: "BTC", side: "long", qty: 1, isolatedMargin: 6000 },
      ],
      modes: ["isolated", "cross"],
      market: {
        ...btcMarket(),
        regime: { calmToStress: 5, stressToCalm: 50, volatilityMultiplier: 2, jumpIntensityMultiplier: 2, basisShift: 0.001 },
        stress: [{ at: "1d", over: "2h", move: -0.1, funding: "floor", basis: -0.01 }],
      },
    },
  },
  {
    name: "replay",
    document: {
      name: "fuzz-replay",
      ...carryPositions(),
      path: {
        step: "1h",
        points: [
          { t: 0, price: 60000, funding: 0.0001 },
          { t: "12h", price: 64000, basis: 0.001 },
          { t: "1d", price: 58000 },
        ],
      },
    },
  },
];

/** Numbers a careless edit or a hostile file puts in a numeric field. */
const extremeNumbers: readonly number[] = [0, -0, -1, 1e-320, 5e-324, 1e-9, 0.5, 1, 2, 1e6, -1e6, 1e300, -1e300, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
/** Values of the wrong type. */
const wrongTypes: readonly Json[] = [null, true, "", "lots", "1e3", "-", [], [1, 2], {}, { nested: 1 }, "7d", "\u202Eevil"];

/** Every path to a value in the document (objects by key, arrays by index), the root excluded. */
function paths(node: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (node === null || typeof node !== "object") return [];
  const entries: [string | number, Json][] = Array.isArray(node) ? node.map((value, i) => [i, value]) : Object.entries(node);
  return entries.flatMap(([key, value]) => [[...prefix, key], ...paths(value, [...prefix, key])]);
}

function parentOf(document: Json, path: readonly (string | number)[]): { parent: Json; key: string | number } | null {
  let node = document;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return null;
    node = (Array.isArray(node) ? node[key as number] : node[key as string]) ?? null;
  }
  const key = path[path.length - 1];
  return key === undefined ? null : { parent: node, key };
}

type Mutation = (document: { [key: string]: Json }, pick: number, value: number) => string;

function setAt(document: Json, path: readonly (string | number)[], value: Json | undefined): void {
  const found = parentOf(document, path);
  if (found === null || found.parent === null || typeof found.parent !== "object") return;
  if (Array.isArray(found.parent)) {
    if (value === undefined) found.parent.splice(found.key as number, 1);
    else found.parent[found.key as number] = value;
  } else if (value === undefined) {
    Reflect.deleteProperty(found.parent, found.key);
  } else {
    found.parent[found.key as string] = value;
  }
}

const label = (path: readonly (string | number)[]): string => path.join(".");

const mutations: readonly Mutation[] = [
  // An extreme number where a number was.
  (document, pick, value) => {
    const numeric = paths(document).filter((path) => typeof parentValue(document, path) === "number");
    const path = numeric[pick % Math.max(1, numeric.length)];
    if (path === undefined) return "no numeric field";
    const number = extremeNumbers[value % extremeNumbers.length] ?? 0;
    setAt(document, path, number);
    return `${label(path)} = ${String(number)}`;
  },
  // A value of the wrong type anywhere.
  (document, pick, value) => {
    const all = paths(document);
    const path = all[pick % all.length];
    if (path === undefined) return "no field";
    const replacement = wrongTypes[value % wrongTypes.length] ?? null;
    setAt(document, path, replacement);
    return `${label(path)} = ${JSON.stringify(replacement)}`;
  },
  // A key (or list item) missing.
  (document, pick) => {
    const all = paths(document);
    const path = all[pick % all.length];
    if (path === undefined) return "no field";
    setAt(document, path, undefined);
    return `${label(path)} removed`;
  },
  // An unknown key in some object.
  (document, pick, value) => {
    const objects = [[], ...paths(document)].filter((path) => {
      const node = path.length === 0 ? document : parentValue(document, path);
      return node !== null && typeof node === "object" && !Array.isArray(node);
    });
    const path = objects[pick % objects.length] ?? [];
    const node = path.length === 0 ? document : parentValue(document, path);
    const key = ["extra", "volatilty", "__proto__", "constructor", "qty"][value % 5] ?? "extra";
    if (node !== null && typeof node === "object" && !Array.isArray(node)) Object.defineProperty(node, key, { value: 1, enumerable: true, configurable: true, writable: true });
    return `${label(path)}.${key} added`;
  },
  // A name used twice (accounts, legs), or a mode listed twice.
  (document, pick) => {
    const lists = ["accounts", "legs", "modes"] as const;
    const list = lists[pick % lists.length] ?? "legs";
    const items = document[list];
    if (!Array.isArray(items) || items.length === 0) return `${list}: nothing to repeat`;
    const first = items[0] ?? null;
    if (list === "modes") items.push(first);
    else if (items.length > 1 && typeof items[1] === "object" && items[1] !== null && !Array.isArray(items[1]) && typeof first === "object" && first !== null && !Array.isArray(first)) items[1].name = first.name ?? "x";
    else items.push(first);
    return `${list}: a name repeated`;
  },
];

function parentValue(document: Json, path: readonly (string | number)[]): Json | undefined {
  let node: Json | undefined = document;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = Array.isArray(node) ? node[key as number] : node[key as string];
  }
  return node;
}

/** Flag values drawn from good ones and bad ones. */
const flagValues = {
  paths: ["1", "2", "7", "20", "0", "-3", "abc", "1e3", "2000000000"],
  workers: ["1", "2", "1000", "0"],
  modes: ["cross", "isolated,cross", "cross,cross", "portfolio", "margin", ""],
  shard: ["1/2", "2/2", "1/300", "3/2", "0/1", "x"],
  seed: ["1", "nightly-2", "a b", "\u202E", "x".repeat(70)],
  chunk: ["1", "250", "0", "99999999999"],
  set: ["vol=0.3,1e6", "isolatedMargin=1000,-5", "qty=1e-320", "horizon=1d,7d", "deposit=0,1e300", "nope=1"],
} as const;

const pickFrom = <T>(values: readonly T[], n: number): T => values[n % values.length] as T;

/** A command line for the mutated scenario: mostly `run`, also `validate`, `replay` and `sweep`, with drawn flags. */
function commandLine(draw: readonly number[]): string[] {
  const [command = 0, paths = 0, workers = 0, modes = 0, shard = 0, seed = 0, chunk = 0, set = 0, extra = 0] = draw;
  const which = command % 10;
  if (which === 0) return ["validate", "SCENARIO"];
  if (which === 1) return ["replay", "SCENARIO", ...(extra % 2 === 0 ? [] : ["--modes", pickFrom(flagValues.modes, modes)])];
  if (which === 2) return ["sweep", "SCENARIO", "--set", pickFrom(flagValues.set, set), "--paths", pickFrom(["3", "5", "0"], paths), "--workers", "1", "--out", "OUT"];
  const args = ["run", "SCENARIO", "--paths", pickFrom(flagValues.paths, paths), "--out", "OUT"];
  if (extra % 3 === 0) args.push("--workers", pickFrom(flagValues.workers, workers));
  else args.push("--workers", "1");
  if (extra % 4 === 1) args.push("--modes", pickFrom(flagValues.modes, modes));
  if (extra % 5 === 2) args.push("--shard", pickFrom(flagValues.shard, shard));
  if (extra % 6 === 3) args.push("--seed", pickFrom(flagValues.seed, seed));
  if (extra % 7 === 4) args.push("--chunk-size", pickFrom(flagValues.chunk, chunk));
  if (extra % 11 === 5) args.push("--json");
  return args;
}

/**
 * A fuzz case: one of the base documents with one to three mutations (or none: the valid document must run),
 * written as YAML (a third of the time as JSON-style flow YAML), and a command line.
 */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    base: fc.nat(),
    edits: fc.array(fc.record({ kind: fc.nat(), pick: fc.nat(), value: fc.nat() }), { maxLength: 3 }),
    flags: fc.array(fc.nat(), { minLength: 9, maxLength: 9 }),
    flow: fc.boolean(),
  })
  .map(({ base, edits, flags, flow }) => {
    const chosen = baseScenarios[base % baseScenarios.length] ?? baseScenarios[0];
    const document = structuredClone(chosen?.document ?? {});
    const applied = [`base ${chosen?.name ?? ""}`, ...edits.map(({ kind, pick, value }) => (mutations[kind % mutations.length] ?? mutations[0])?.(document, pick, value) ?? "")];
    const scenario = flow ? JSON.stringify(document, (_key, value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? String(value) : value)) : stringify(document);
    return { scenario, args: commandLine(flags), mutations: applied };
  });
