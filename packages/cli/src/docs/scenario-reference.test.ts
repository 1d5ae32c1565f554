import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedFiles, regenerateCommand } from "./generated-files.js";
import { fieldNoteFor, fieldNotes, notePattern } from "./scenario-field-notes.js";
import { schemaFields } from "./scenario-reference.js";

describe("docs/scenario-reference.md, generated from the scenario schema", () => {
  const fields = schemaFields();

  it("has a unit-and-meaning note for every schema field", () => {
    const missing = fields.filter((f) => fieldNoteFor(f.path) === undefined).map((f) => f.path);
    expect(missing, `add these to packages/cli/src/docs/scenario-field-notes.ts, then run ${regenerateCommand}`).toEqual([]);
  });

  it("has no note for a field the schema lacks", () => {
    const paths = fields.map((f) => f.path);
    const stale = Object.keys(fieldNotes).filter((key) => !paths.some((path) => path === key || (key.includes("*") && notePattern(key).test(path))));
    expect(stale, "remove or rename these notes in scenario-field-notes.ts").toEqual([]);
  });

  it("reads types, ranges, defaults and requiredness off the schema", () => {
    const field = (path: string) => fields.find((f) => f.path === path);
    // Each expectation restates the zod declaration in scenario-schema.ts / market-schema.ts.
    expect(field("accounts[].deposit")).toMatchObject({ type: "number", range: "[0, 1000000000000]", required: true }); // z.number().nonnegative().lte(1e12)
    expect(field("legs[type=perp].isolatedMargin")).toMatchObject({ type: "number", range: "[1e-8, 1000000000000]", required: false }); // gte(1e-8).lte(1e12).optional()
    expect(field("market.step")).toMatchObject({ type: '`"auto"` | duration', default: '`"auto"`', required: false }); // z.union([z.literal("auto"), durationSchema]).default("auto")
    expect(field("path.step")).toMatchObject({ default: "60 s (1m)" }); // durationSchema.default(60)
    expect(field("market.horizon")).toMatchObject({ type: "duration", required: true });
    expect(field("market.assets.<ASSET>.model[kind=garch-t].degreesOfFreedom")).toMatchObject({ range: "(2, 1000]" }); // gt(2).max(1000)
    expect(field("market.assets.<ASSET>.model[kind=bootstrap].blockLength")).toMatchObject({ type: "integer", range: "(0, 1000000]; whole number" }); // int().positive().lte(1_000_000)
    expect(field("market.stress[].funding")).toMatchObject({ type: '`"floor"` | `"cap"` | number', range: "(-1, 1)" });
    expect(field("market.correlation.matrix")).toMatchObject({ type: "list of lists of number", range: "[-1, 1]" });
    expect(field("costs.closeAtHorizon")).toMatchObject({ type: "boolean", default: "`true`" });
  });

  it("matches the committed files (regenerate with pnpm docs:scenario)", () => {
    for (const file of generatedFiles()) {
      expect(readFileSync(file.path, "utf8") === file.text, `${file.path} is stale: run ${regenerateCommand} and commit the result`).toBe(true);
    }
  });
});
