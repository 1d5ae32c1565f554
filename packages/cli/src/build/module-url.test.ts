import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { markModuleUrls, relativeSpecifier, resolveModuleUrls } from "./module-url.js";

// A module's import.meta.url, marked while bundling and resolved once its chunk's place is known, must be the URL of
// the module's own file, wherever the chunk is written.
describe("a module's URL through the bundle", () => {
  const root = mkdtempSync(join(tmpdir(), "mstress-module-url-"));
  // Its .js files are ES modules, as the bundle's are (packages/cli/package.json says "type": "module").
  writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
  const modulePath = join(root, "packages/core/dist/venue/shipped-venues.js");

  // Writes the rewritten code as a real module at chunkPath and imports it: the URL it computes at run time.
  const urlSeenFrom = async (chunkPath: string): Promise<string> => {
    const marked = markModuleUrls("export const here = import.meta.url;", modulePath);
    mkdirSync(join(chunkPath, ".."), { recursive: true });
    writeFileSync(chunkPath, resolveModuleUrls(marked, chunkPath));
    const chunk = (await import(pathToFileURL(chunkPath).href)) as { here: string };
    return chunk.here;
  };

  it("is the module's file URL from a chunk beside the entry and from one in a sub-directory", async () => {
    const expected = pathToFileURL(modulePath).href;
    expect(await urlSeenFrom(join(root, "packages/cli/dist/bin/entry.js"))).toBe(expected);
    expect(await urlSeenFrom(join(root, "packages/cli/dist/bin/chunks/shared-a1b2.js"))).toBe(expected);
  });

  it("keeps a path with quotes, a backslash, a space, '#' and '%' intact", async () => {
    const odd = join(root, 'a "quoted" dir\\with back slash #1 %41', "module.js");
    const marked = markModuleUrls("export const here = import.meta.url;", odd);
    const chunkPath = join(root, "out/chunk.js");
    mkdirSync(join(chunkPath, ".."), { recursive: true });
    writeFileSync(chunkPath, resolveModuleUrls(marked, chunkPath));
    const chunk = (await import(pathToFileURL(chunkPath).href)) as { here: string };
    expect(chunk.here).toBe(pathToFileURL(odd).href);
  });

  it("leaves code without a module URL unchanged, and resolves every marker in a chunk", () => {
    const code = "const a = 1;";
    expect(resolveModuleUrls(markModuleUrls(code, modulePath), "/x/chunk.js")).toBe(code);
    const two = markModuleUrls("f(import.meta.url); g(import.meta.url);", modulePath);
    expect(resolveModuleUrls(two, join(root, "packages/cli/dist/bin/mstress.js"))).not.toContain("mstress-module-url:");
  });

  it("names an installed file for import from a chunk at any depth, in directories with odd names", () => {
    const installed = join(root, "node_modules/.pnpm/pkg@1.0.0 #x/node_modules/pkg/index.mjs");
    mkdirSync(join(installed, ".."), { recursive: true });
    writeFileSync(installed, "export const name = 'installed';\n");
    for (const chunkPath of [join(root, "packages/cli/dist/bin/mstress.js"), join(root, "packages/cli/dist/bin/workers/w.js"), join(root, "node_modules/.pnpm/beside.js")]) {
      const specifier = relativeSpecifier(chunkPath, installed);
      expect(specifier).toMatch(/^\.\.?\//);
      mkdirSync(join(chunkPath, ".."), { recursive: true });
      // Node itself resolves the import (vitest's module runner treats paths through node_modules its own way).
      writeFileSync(chunkPath, `import { name } from ${JSON.stringify(specifier)};\nprocess.stdout.write(name);\n`);
      expect(execFileSync(process.execPath, [chunkPath], { encoding: "utf8" })).toBe("installed");
    }
  });
});
