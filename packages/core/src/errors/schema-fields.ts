import type { z } from "zod";

// The fields a schema accepts at a path of the input, read from zod's schema definitions, so that an unknown
// field can be answered with the known one nearest to it. Only the definition kinds the scenario and venue
// schemas use are followed; any other kind simply offers no fields.

type Schema = z.core.$ZodType;

interface Definition {
  readonly type: string;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly element?: Schema;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly options?: readonly Schema[];
  readonly discriminator?: string;
  readonly valueType?: Schema;
  readonly values?: readonly unknown[];
  readonly getter?: () => Schema;
}

function definition(schema: Schema): Definition {
  return schema._zod.def;
}

function child(value: unknown, key: PropertyKey): unknown {
  return value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
}

/** The schemas that can describe `value` here, looking through optional, default, pipe and union wrappers. */
function candidates(schema: Schema, value: unknown): Schema[] {
  const def = definition(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return def.innerType === undefined ? [] : candidates(def.innerType, value);
    case "pipe":
      return def.in === undefined ? [] : candidates(def.in, value);
    case "lazy":
      return def.getter === undefined ? [] : candidates(def.getter(), value);
    case "union": {
      const options = def.options ?? [];
      const key = def.discriminator;
      if (key !== undefined) {
        const tag = child(value, key);
        const chosen = options.filter((option) => {
          const literal = definition(option).shape?.[key];
          return literal !== undefined && (definition(literal).values ?? []).includes(tag);
        });
        if (chosen.length > 0) return chosen.flatMap((option) => candidates(option, value));
      }
      return options.flatMap((option) => candidates(option, value));
    }
    default:
      return [schema];
  }
}

/** The field names an object at `path` of `input` may have under `schema` (empty when no object is expected there). */
export function schemaFieldsAt(schema: Schema, path: readonly PropertyKey[], input: unknown): string[] {
  let schemas = [schema];
  let value = input;
  for (const key of path) {
    schemas = schemas.flatMap((s) => candidates(s, value)).flatMap((s): Schema[] => {
      const def = definition(s);
      if (def.type === "object" && typeof key === "string") return def.shape?.[key] === undefined ? [] : [def.shape[key]];
      if (def.type === "array" && typeof key === "number") return def.element === undefined ? [] : [def.element];
      if (def.type === "record") return def.valueType === undefined ? [] : [def.valueType];
      return [];
    });
    value = child(value, key);
  }
  const fields = schemas.flatMap((s) => candidates(s, value)).flatMap((s) => Object.keys(definition(s).shape ?? {}));
  return [...new Set(fields)];
}
