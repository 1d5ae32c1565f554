import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, isAbsolute, join } from "node:path";
import { rolldown, type Plugin } from "rolldown";
import { hasModuleUrlMarker, markModuleUrls, moduleUrlMarker, relativeSpecifier, resolveModuleUrls } from "./module-url.js";

// The `mstress` command as one bundle (`pnpm build` runs this after tsc): the entry `dist/bin/mstress.js`, its
// threads' scripts in `dist/bin/workers/` and the chunks they share in `dist/bin/chunks/` (one chunk per lazily
// loaded subcommand, and the shared code). Unbundled, a run loaded ~560 files on its main thread (arquero 166, zod
// 95, our four packages 238, ...) and each thread its own share, resolving and reading each: ~0.3 s of CPU on the
// main thread that a bundle does not spend. No output byte changes: only how the code is loaded.
//
// `pnpm -s mstress` builds before every command, and other runs may be going on from the same bundle: so nothing is
// rebuilt when no input changed (bundle-inputs.json), a changed file is written beside the old one and renamed over
// it, the entry last, and a chunk no longer used is removed only a day later (a run started before may still load
// it: subcommands' chunks are loaded lazily).

const cliDist = fileURLToPath(new URL("../", import.meta.url));
const simDist = join(cliDist, "../../sim/dist");
const outputDirectory = join(cliDist, "bin");
const inputsFile = join(outputDirectory, "bundle-inputs.json");
const unusedChunkLifetimeMs = 24 * 60 * 60 * 1000;
const lockfile = join(cliDist, "../../../pnpm-lock.yaml");
const buildScripts = [fileURLToPath(import.meta.url), fileURLToPath(new URL("./module-url.js", import.meta.url))];

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
 * own file, and numeric generates code at run time (`Function` and `eval` over its global name), which a bundler
 * does not see into.
 */
const loadedInPlace = new Set(["piscina", "numeric"]);

/** The bundle's inputs and their SHA-256, and the files it wrote, as bundle-inputs.json records them. */
interface BundleInputs {
  readonly inputs: Readonly<Record<string, string>>;
  readonly outputs: readonly string[];
}

const sha256 = (bytes: string | Buffer): string => createHash("sha256").update(bytes).digest("hex");

/** True when the last bundle was made from inputs that are all unchanged, and is all there. */
function upToDate(): boolean {
  if (!existsSync(inputsFile)) return false;
  let last: BundleInputs;
  try {
    last = JSON.parse(readFileSync(inputsFile, "utf8")) as BundleInputs;
  } catch {
    // A record that cannot be read only means a rebuild.
    return false;
  }
  if (!last.outputs.every((file) => existsSync(join(outputDirectory, file)))) return false;
  return Object.entries(last.inputs).every(([file, hash]) => existsSync(file) && sha256(readFileSync(file)) === hash);
}

const replacedWorkerFiles = new Set<string>();
const bundledWorkerFiles: Plugin = {
  name: "mstress-bundled-worker-files",
  load(id) {
    const replaced = workerFileModules.get(id);
    if (replaced === undefined) return null;
    replacedWorkerFiles.add(id);
    const url = moduleUrlMarker(join(outputDirectory, replaced.script));
    return { code: `import { fileURLToPath } from "node:url";\nexport function ${replaced.exported}() {\n  return fileURLToPath(${url});\n}\n` };
  },
};

const keepModuleUrls: Plugin = {
  name: "mstress-module-url",
  transform(code, id) {
    // Only modules that are files: the bundler's own runtime (a virtual module, "\0rolldown/runtime.js") keeps
    // the chunk's URL.
    if (!isAbsolute(id)) return null;
    // Only import.meta.url is kept as the module's own; anything else of import.meta would silently be the chunk's.
    if (/import\.meta\.(?!url\b)/.test(code)) throw new Error(`${id}: uses import.meta other than import.meta.url, which the bundle does not keep (packages/cli/src/build/module-url.ts)`);
    return code.includes("import.meta.url") ? { code: markModuleUrls(code, id) } : null;
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

/** Writes `code` at `file` unless it is already there: beside it first, then renamed over it. */
function replaceFile(file: string, code: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === code) return;
  mkdirSync(dirname(file), { recursive: true });
  const beside = `${file}.${String(process.pid)}.tmp`;
  writeFileSync(beside, code);
  renameSync(beside, file);
}

/** A chunk of the written bundle that still names a build-time path: it would not run anywhere else. */
function unresolvedPath(code: string): string | undefined {
  if (hasModuleUrlMarker(code)) return "an import.meta.url marker";
  return [...installedFiles].find((file) => code.includes(JSON.stringify(file)));
}

async function bundleCommand(): Promise<void> {
  const bundle = await rolldown({
    input: entries,
    platform: "node",
    external: (id) => id.startsWith("node:"),
    // Kept absolute while bundling; packagesInPlace makes each relative to its chunk.
    makeAbsoluteExternalsRelative: false,
    plugins: [bundledWorkerFiles, keepModuleUrls, packagesInPlace],
  });
  const { output } = await bundle.generate({ format: "esm", entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js" });
  // Every file the bundle was made from, with the lockfile (the packages loaded in place are not read by the
  // bundler) and this script's own modules.
  const inputs = [...(await bundle.watchFiles), lockfile, ...buildScripts];
  await bundle.close();
  for (const file of workerFileModules.keys()) {
    if (!replacedWorkerFiles.has(file)) throw new Error(`${file}: expected in the bundle (it names a thread's script), not found`);
  }
  const chunks = output.filter((item) => item.type === "chunk");
  for (const chunk of chunks) {
    const left = unresolvedPath(chunk.code);
    if (left !== undefined) throw new Error(`bundle chunk ${chunk.fileName}: still names ${left}`);
  }
  // Shared chunks first, then the threads' scripts, then the entry: a command started meanwhile finds the old
  // entry with its old chunks, or the new one with its new chunks.
  const order = (fileName: string): number => (fileName.startsWith("chunks/") ? 0 : fileName.startsWith("workers/") ? 1 : 2);
  for (const chunk of [...chunks].sort((a, b) => order(a.fileName) - order(b.fileName))) replaceFile(join(outputDirectory, chunk.fileName), chunk.code);
  const written = new Set(chunks.map((chunk) => chunk.fileName));
  const chunkDirectory = join(outputDirectory, "chunks");
  for (const name of readdirSync(chunkDirectory)) {
    const file = join(chunkDirectory, name);
    if (!written.has(`chunks/${name}`) && Date.now() - statSync(file).mtimeMs > unusedChunkLifetimeMs) rmSync(file, { force: true });
  }
  const record: BundleInputs = {
    inputs: Object.fromEntries(inputs.filter((file) => isAbsolute(file) && existsSync(file)).map((file) => [file, sha256(readFileSync(file))])),
    outputs: [...written],
  };
  replaceFile(inputsFile, `${JSON.stringify(record, null, 1)}\n`);
}

if (!upToDate()) await bundleCommand();
