import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isAbsolute, join } from "node:path";
import { rolldown, type Plugin } from "rolldown";
import { markModuleUrls, resolveModuleUrls } from "./module-url.js";

// The `mstress` command as one bundle (`pnpm build` runs this after tsc): the entry `dist/bin/mstress.js` and its
// chunks in `dist/bin/chunks/`, one chunk per lazily loaded subcommand and the shared code. Unbundled, a run loaded
// ~560 files on its main thread (arquero 166, zod 95, our four packages 238, ...) before and while its workers ran,
// resolving and reading each: ~0.3 s of CPU that a bundle of ~55 files does not spend. The worker threads keep
// loading their own modules from the packages' `dist`. No output byte changes: only how the code is loaded.

const cliDist = fileURLToPath(new URL("../", import.meta.url));
const entry = join(cliDist, "bin/mstress-entry.js");
const outputDirectory = join(cliDist, "bin");

/**
 * Packages loaded from where they are installed, not bundled: piscina starts its threads from a script next to its
 * own file, and numeric builds its functions with a direct `eval` over its own scope.
 */
const loadedInPlace = new Set(["piscina", "numeric"]);

const keepModuleUrls: Plugin = {
  name: "mstress-module-url",
  transform(code, id) {
    // Only modules that are files: the bundler's own runtime (a virtual module, "\0rolldown/runtime.js") keeps
    // the chunk's URL.
    return isAbsolute(id) && code.includes("import.meta.url") ? { code: markModuleUrls(code, id) } : null;
  },
  renderChunk(code, chunk) {
    return { code: resolveModuleUrls(code, join(outputDirectory, chunk.fileName)) };
  },
};

const packagesInPlace: Plugin = {
  name: "mstress-packages-in-place",
  async resolveId(source, importer) {
    if (!loadedInPlace.has(source)) return null;
    const resolved = await this.resolve(source, importer, { skipSelf: true });
    return resolved === null ? null : { id: resolved.id, external: true };
  },
};

rmSync(join(outputDirectory, "chunks"), { recursive: true, force: true });
const bundle = await rolldown({
  input: { mstress: entry },
  platform: "node",
  external: (id) => id.startsWith("node:"),
  makeAbsoluteExternalsRelative: true,
  plugins: [keepModuleUrls, packagesInPlace],
});
await bundle.write({ dir: outputDirectory, format: "esm", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js" });
await bundle.close();
