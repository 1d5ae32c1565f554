import { dirname, relative, sep } from "node:path";

// A module's own URL, kept through bundling. Our modules find their resources next to their built file (the shipped
// venues, the worker scripts, the package's manifest, the chart libraries resolved from the report package): with
// `import.meta.url` they read it from the file they were compiled to. Bundled into a chunk elsewhere, each module
// must still see its own file's URL, so every `import.meta.url` becomes a marker naming the module's file while the
// bundle is built, and then, once the chunk's place is known, that file's URL relative to the chunk.

const markerPrefix = "mstress-module-url:";

/** The string literal that stands for `modulePath`'s `import.meta.url` until the chunk is written. */
export function moduleUrlMarker(modulePath: string): string {
  return JSON.stringify(markerPrefix + modulePath);
}

/** `code` with every `import.meta.url` replaced by the marker of the module at `modulePath`. */
export function markModuleUrls(code: string, modulePath: string): string {
  return code.replaceAll("import.meta.url", moduleUrlMarker(modulePath));
}

/** Whether `chunkCode` still holds a marker that `resolveModuleUrls` did not resolve. */
export function hasModuleUrlMarker(chunkCode: string): boolean {
  return chunkCode.includes(markerPrefix);
}

/**
 * `chunkCode` (the chunk that will be written at `chunkPath`) with every marker replaced by an expression that
 * evaluates, at run time, to the marked module's file URL, found relative to the chunk's own URL, so the bundle
 * keeps working wherever the checkout is.
 */
export function resolveModuleUrls(chunkCode: string, chunkPath: string): string {
  const marker = new RegExp(`"${markerPrefix}((?:[^"\\\\]|\\\\.)*)"`, "g");
  return chunkCode.replace(marker, (_whole, escapedPath: string) => {
    const modulePath = JSON.parse(`"${escapedPath}"`) as string;
    return `new URL(${JSON.stringify(relativeSpecifier(chunkPath, modulePath))}, import.meta.url).href`;
  });
}

/**
 * `target` as a relative URL from the chunk at `chunkPath` ("./x.js" or "../../x.js"), as an import names it:
 * segment by segment, encoded as a URL's path is (a space, a quote, "#", "%", a backslash).
 */
export function relativeSpecifier(chunkPath: string, target: string): string {
  const path = relative(dirname(chunkPath), target)
    .split(sep)
    .map((segment) => encodeURI(segment).replace(/[#?]/g, encodeURIComponent))
    .join("/");
  return path.startsWith("../") ? path : `./${path}`;
}
