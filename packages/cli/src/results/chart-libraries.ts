import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ChartLibraries } from "@mstress/report";

/**
 * The browser builds of vega, vega-lite and vega-embed, read from node_modules to be inlined into report.html.
 * They are @mstress/report's dependencies, so they are resolved from that package's location; each package's
 * entry sits in its build/ folder next to the minified browser build.
 */
export async function chartLibraries(): Promise<ChartLibraries> {
  const fromReport = createRequire(createRequire(import.meta.url).resolve("@mstress/report"));
  const build = (pkg: string, file: string): Promise<string> => readFile(join(dirname(fromReport.resolve(pkg)), file), "utf8");
  const [vega, vegaLite, vegaEmbed] = await Promise.all([build("vega", "vega.min.js"), build("vega-lite", "vega-lite.min.js"), build("vega-embed", "vega-embed.min.js")]);
  return { vega, vegaLite, vegaEmbed };
}
