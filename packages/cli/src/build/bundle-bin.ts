import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isAbsolute, join } from "node:path";
import { rolldown, type Plugin } from "rolldown";
import { markModuleUrls, moduleUrlMarker, relativeSpecifier, resolveModuleUrls } from "./module-url.js";

// The `mstress` command as one bundle (`pnpm build` runs this after tsc): the entry `dist/bin/mstress.js`, its
// threads' scripts in `dist/bin/workers/` and the chunks they share in `dist/bin/chunks/` (one chunk per lazily
// loaded subcommand, and the shared code). Unbundled, a run loaded ~560 files on its main thread (arquero 166, zod
// 95, our four packages 238, ...) and ~120 on each thread, resolving and reading each: ~0.3 s of CPU on the main
// thread and ~50 ms a thread that a bundle does not spend. No output byte changes: only how the code is loaded.

const cliDist = fileURLToPath(new URL("../", import.meta.url));
const simDist = join(cliDist, "../../sim/dist");
const outputDirectory = join(cliDist, "bin");

/** The bundle's entries: the command, and the scripts its threads start with. */
const entries = {
  mstress: join(cliDist, "bin/mstress-entry.js"),
  "workers/simulate-worker": join(simDist, "worker/simulate-worker.js"),
  "workers/parquet-worker": join(cliDist, "results/parquet-worker.js"),
};

/**
 * The modules that name a thread's script, replaced in the bundle by ones naming the bundled script, so the
 * threads of a bundled run load a bundle too. Each exports the same function as the module it replaces.
 */
const workerFileModules = new Map([
  [join(simDist, "pool/worker-file.js"), { exported: "simulateWorkerFile", script: "workers/simulate-worker.js" }],
  [join(cliDist, "results/parquet-worker-file.js"), { exported: "parquetWorkerFile", script: "workers/parquet-worker.js" }],
]);

/**
 * Packages loaded from where they are installed, not bundled: piscina starts its threads from a script next to its
 * own file, and numeric builds its functions with a direct `eval` over its own scope.
 */
const loadedInPlace = new Set(["piscina", "numeric"]);

const bundledWorkerFiles: Plugin = {
  name: "mstress-bundled-worker-files",
  load(id) {
    const replaced = workerFileModules.get(id);
    if (replaced === undefined) return null;
    const url = moduleUrlMarker(join(outputDirectory, replaced.script));
    return { code: `import { fileURLToPath } from "node:url";\nexport function ${replaced.exported}() {\n  return fileURLToPath(${url});\n}\n` };
  },
};

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

/** Imports of a package loaded in place name its installed file, relative to each chunk that imports it. */
const installedFiles = new Set<string>();
const packagesInPlace: Plugin = {
  name: "mstress-packages-in-place",
  async resolveId(source, importer) {
    if (!loadedInPlace.has(source)) return null;
    const resolved = await this.resolve(source, importer, { skipSelf: true });
    if (resolved === null) return null;
    installedFiles.add(resolved.id);
    return { id: resolved.id, external: true };
  },
  renderChunk(code, chunk) {
    const chunkPath = join(outputDirectory, chunk.fileName);
    let rendered = code;
    for (const file of installedFiles) rendered = rendered.replaceAll(JSON.stringify(file), JSON.stringify(relativeSpecifier(chunkPath, file)));
    return { code: rendered };
  },
};

for (const generated of ["chunks", "workers"]) rmSync(join(outputDirectory, generated), { recursive: true, force: true });
const bundle = await rolldown({
  input: entries,
  platform: "node",
  external: (id) => id.startsWith("node:"),
  // Kept absolute while bundling; packagesInPlace makes each relative to its chunk.
  makeAbsoluteExternalsRelative: false,
  plugins: [bundledWorkerFiles, keepModuleUrls, packagesInPlace],
});
await bundle.write({ dir: outputDirectory, format: "esm", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js" });
await bundle.close();
