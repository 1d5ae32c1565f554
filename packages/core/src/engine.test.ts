// `@mstress/core/engine` is what the simulation's worker threads load; it must stay free of the schema libraries
// (zod, yaml), which are most of the package's start-up. Checked on the source: every module the entry reaches
// through relative imports, and the packages those modules import at run time (type-only imports are erased).
// The rule keeping core free of file-system access is for domain code; this test reads the package's source.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const source = dirname(fileURLToPath(import.meta.url));

/** Run-time import specifiers of one module: `import ... from`, `export ... from` and side-effect imports, not `import type`. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
    if (match[1] === undefined && match[2] !== undefined) specifiers.push(match[2]);
  }
  return specifiers;
}

/** The packages reached from `entry` through relative run-time imports, and the modules visited. */
function packagesReached(entry: string): { packages: Set<string>; modules: Set<string> } {
  const packages = new Set<string>();
  const modules = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (modules.has(file)) continue;
    modules.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith(".")) pending.push(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier);
    }
  }
  return { packages, modules };
}

describe("@mstress/core/engine", () => {
  it("reaches no schema library at run time", () => {
    const { packages, modules } = packagesReached(resolve(source, "engine.ts"));
    // The walk really follows the engine: the ledger and the liquidation engine are among the modules it visits.
    expect([...modules].some((file) => file.endsWith("ledger/ledger.ts"))).toBe(true);
    expect([...modules].some((file) => file.endsWith("liquidation/liquidate-account.ts"))).toBe(true);
    expect([...packages].sort()).toEqual(["decimal.js"]);
  });

  it("the walk sees a schema library where there is one: the full entry reaches zod and yaml", () => {
    const { packages } = packagesReached(resolve(source, "index.ts"));
    expect(packages.has("zod")).toBe(true);
    expect(packages.has("yaml")).toBe(true);
  });
});
