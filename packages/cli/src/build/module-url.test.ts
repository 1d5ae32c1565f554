import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { hasModuleUrlMarker, markModuleUrls, relativeSpecifier, resolveModuleUrls } from "./module-url.js";

// A module's import.meta.url, marked while bundling and resolved once its chunk's place is known, must be the URL of
// the module's own file, wherever the chunk is written and wherever the checkout is moved afterwards. Node itself
// runs the chunks (vitest's module runner resolves paths its own way).

/** Writes `code` at `file`, creating its directory. */
function put(file: string, code: string): void {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, code);
}

/** A fresh directory whose .js files are ES modules, as the bundle's are (packages/cli says "type": "module"). */
function moduleRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "mstress-module-url-"));
  writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
  return root;
}

const runNode = (file: string): string => execFileSync(process.execPath, [file], { encoding: "utf8" });

describe("a module's URL through the bundle", () => {
  it("is the module's file URL from a chunk beside the entry and from one in a sub-directory, after the checkout moves", () => {
    const root = moduleRoot();
    const built = join(root, "built checkout");
    const chunks = ["packages/cli/dist/bin/mstress.js", "packages/cli/dist/bin/chunks/shared-a1b2.js"];
    for (const chunk of chunks) {
      const marked = markModuleUrls("process.stdout.write(import.meta.url);\n", join(built, "packages/core/dist/venue/shipped-venues.js"));
      put(join(built, chunk), resolveModuleUrls(marked, join(built, chunk)));
    }
    // Moved after the build: a URL fixed at build time would still point into the old place.
    const moved = join(root, "moved #1 100%");
    renameSync(built, moved);
    for (const chunk of chunks) {
      expect(runNode(join(moved, chunk))).toBe(pathToFileURL(join(moved, "packages/core/dist/venue/shipped-venues.js")).href);
    }
  });

  it("keeps a module path with quotes, a backslash, a space, '#' and '%' intact", () => {
    const root = moduleRoot();
    const odd = join(root, 'a "quoted" dir\\with back slash #1 %41', "module.js");
    const chunkPath = join(root, "out/chunk.js");
    put(chunkPath, resolveModuleUrls(markModuleUrls("process.stdout.write(import.meta.url);\n", odd), chunkPath));
    expect(runNode(chunkPath)).toBe(pathToFileURL(odd).href);
  });

  it("leaves code without a module URL unchanged, and resolves every marker in a chunk", () => {
    const code = "const a = 1;";
    expect(resolveModuleUrls(markModuleUrls(code, "/x/module.js"), "/x/chunk.js")).toBe(code);
    const two = markModuleUrls("f(import.meta.url); g(import.meta.url);", "/x/a/module.js");
    expect(hasModuleUrlMarker(two)).toBe(true);
    expect(hasModuleUrlMarker(resolveModuleUrls(two, "/x/b/chunk.js"))).toBe(false);
    expect(resolveModuleUrls(two, "/x/b/chunk.js")).toBe('f(new URL("../a/module.js", import.meta.url).href); g(new URL("../a/module.js", import.meta.url).href);');
  });

  it("names an installed file for import from a chunk at any depth, in directories with odd names", () => {
    const root = moduleRoot();
    const installed = join(root, "node_modules/.pnpm/pkg@1.0.0 #x/node_modules/pkg/index.mjs");
    put(installed, "export const name = 'installed';\n");
    for (const chunkPath of [join(root, "packages/cli/dist/bin/mstress.js"), join(root, "packages/cli/dist/bin/workers/w.js"), join(root, "node_modules/.pnpm/beside.js")]) {
      const specifier = relativeSpecifier(chunkPath, installed);
      expect(specifier).toMatch(/^\.\.?\//);
      put(chunkPath, `import { name } from ${JSON.stringify(specifier)};\nprocess.stdout.write(name);\n`);
      expect(runNode(chunkPath)).toBe("installed");
    }
  });
});
