import type { z } from "zod";
import { describeZodIssue, fieldPath } from "./describe-zod-issue.js";
import { nearestName } from "./nearest-name.js";
import { schemaFieldsAt } from "./schema-fields.js";

/** One problem in a document: where it is (as written) and the line that says it, without the file name. */
export interface SchemaProblem {
  readonly path: readonly PropertyKey[];
  readonly text: string;
  /** The problem is the field's name (an unknown field), not its value. */
  readonly isKey?: boolean;
}

export type SchemaCheck<T> = { readonly success: true; readonly data: T } | { readonly success: false; readonly problems: readonly SchemaProblem[] };

/** A field renamed to the one it most likely meant: at `parent` (in the corrected document), `from` became `to`. */
interface Rename {
  readonly parent: readonly PropertyKey[];
  readonly from: string;
  readonly to: string;
}

const maxRounds = 8;

/**
 * Validates `raw` against `schema`, one problem per mistake. An unknown field is reported once, with the known
 * field nearest to it; the document is then read as if that field had been spelt right (or left out, when nothing
 * is near) and validated again, so a mistyped `isolatedMagrin` does not also report a missing `isolatedMargin`, and
 * what lay under a mistyped key is still checked. Paths in the problems are the document's own.
 */
export function checkAgainstSchema<T>(schema: z.ZodType<T>, raw: unknown): SchemaCheck<T> {
  const renames: Rename[] = [];
  const problems: SchemaProblem[] = [];
  let document = raw;
  for (let round = 0; ; round++) {
    const result = schema.safeParse(document);
    if (result.success) return problems.length === 0 ? { success: true, data: result.data } : { success: false, problems };
    const unknown = result.error.issues.filter((issue): issue is z.core.$ZodIssueUnrecognizedKeys => issue.code === "unrecognized_keys");
    if (unknown.length === 0 || round === maxRounds) {
      for (const issue of result.error.issues) {
        const path = asWritten(issue.path, renames);
        problems.push({ path, text: describeZodIssue({ ...issue, path: [...path] }, raw) });
      }
      return { success: false, problems };
    }
    document = structuredClone(document);
    for (const issue of unknown) {
      const target = valueAt(document, issue.path);
      if (target === null || typeof target !== "object" || Array.isArray(target)) continue;
      const object = target as Record<string, unknown>;
      const known = schemaFieldsAt(schema, issue.path, document).filter((field) => !(field in object));
      const original = asWritten(issue.path, renames);
      for (const key of issue.keys) {
        const meant = nearestName(key, known);
        const where = fieldPath([...original, key], raw);
        problems.push({
          path: [...original, key],
          isKey: true,
          text: meant === undefined
            ? `${where}: unknown field; expected one of ${schemaFieldsAt(schema, issue.path, document).join(", ")}`
            : `${where}: unknown field; did you mean ${meant}?`,
        });
        if (meant !== undefined) {
          object[meant] = object[key];
          renames.push({ parent: issue.path, from: key, to: meant });
          known.splice(known.indexOf(meant), 1);
        }
        Reflect.deleteProperty(object, key);
      }
    }
  }
}

/** A path in the corrected document, mapped back to the keys as the user wrote them. */
function asWritten(path: readonly PropertyKey[], renames: readonly Rename[]): PropertyKey[] {
  const written = [...path];
  for (const rename of [...renames].reverse()) {
    const depth = rename.parent.length;
    if (written.length > depth && written[depth] === rename.to && rename.parent.every((key, i) => written[i] === key)) written[depth] = rename.from;
  }
  return written;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
