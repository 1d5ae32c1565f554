import type { ReportChart } from "../charts/report-chart.js";
import { pageScript } from "./page-script.js";
import { pageStyles } from "./page-styles.js";
import { html, trustedHtml, type SafeHtml } from "./safe-html.js";
import { inlineScriptSource, scriptJson } from "./script-text.js";

/** The source text of the three libraries the page inlines (their browser builds, read by the caller). */
export interface ChartLibraries {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

// Nothing may be fetched: scripts and styles are inline, images only data: or blob: (vega-embed's PNG export).
// 'unsafe-eval' because vega compiles its expressions with the Function constructor.
const contentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:";

/** A chart's place in the page: its title, the element vega-embed draws into, and its caption. */
export function chartFigure(chart: ReportChart, wide = false): SafeHtml {
  return html`<figure class="chart-card${wide ? " wide" : ""}"><h3>${chart.title}</h3><div class="chart" id="chart-${chart.name}" role="img" aria-label="${chart.title}"></div><figcaption>${chart.caption}</figcaption></figure>`;
}

/**
 * One self-contained HTML document: the style sheet, the body, the charts' specs as escaped JSON, and vega,
 * vega-lite and vega-embed inlined, so it opens offline from a file and makes no network request. The body is
 * SafeHtml (built with the `html` template), so user text in it is already escaped; chart names must be
 * kebab-case, which keeps element ids plain. A pure function of its arguments.
 */
export function standalonePage(page: { readonly title: string; readonly body: SafeHtml; readonly charts: readonly ReportChart[]; readonly libraries: ChartLibraries }): string {
  for (const chart of page.charts) if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(chart.name)) throw new RangeError(`standalonePage: chart name ${JSON.stringify(chart.name)} is not kebab-case`);
  const specs = page.charts.map((chart) => ({ name: chart.name, spec: chart.spec }));
  const script = (source: string): SafeHtml => trustedHtml(`<script>${inlineScriptSource(source)}</script>`);
  return `<!DOCTYPE html>\n${String(html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<title>${page.title}</title>
<style>${trustedHtml(pageStyles)}</style>
</head>
<body>
${page.body}
<script type="application/json" id="mstress-charts">${trustedHtml(scriptJson(specs))}</script>
${script(page.libraries.vega)}
${script(page.libraries.vegaLite)}
${script(page.libraries.vegaEmbed)}
${script(pageScript)}
</body>
</html>
`)}`;
}
