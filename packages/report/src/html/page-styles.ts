// The report's style sheet: readable on a laptop, printable on A4 (no backgrounds lost on the banner, no chart
// split across pages, no buttons). System fonts only, so the page asks for nothing over the network.
export const pageStyles = `
:root {
  --ink: #1f2933; --muted: #5f6b7a; --line: #dde2e8; --panel: #ffffff; --page: #f4f6f8; --accent: #1f3a5f;
  --pass: #1e7b3c; --pass-bg: #e7f4ea; --fail: #a61b29; --fail-bg: #fbe9eb; --undecided: #9a5b00; --undecided-bg: #fff3dc;
  --none: #44505e; --none-bg: #eceff3;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.masthead { background: var(--accent); color: #fff; padding: 22px 0 20px; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
.masthead .kicker { font-size: 12px; letter-spacing: .08em; text-transform: uppercase; opacity: .75; margin: 0 0 4px; }
.masthead h1 { font-size: 26px; line-height: 1.2; margin: 0; font-weight: 650; word-break: break-word; }
.masthead .description { margin: 6px 0 0; opacity: .9; max-width: 80ch; }
main { padding: 22px 0 40px; }
section { margin: 0 0 26px; }
h2 { font-size: 17px; margin: 0 0 10px; font-weight: 650; color: var(--accent); break-after: avoid; page-break-after: avoid; }
h3 { font-size: 14px; margin: 0 0 6px; font-weight: 650; }
p { margin: 0 0 8px; }
.muted { color: var(--muted); }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; }
.verdict { display: flex; gap: 20px; align-items: center; border-radius: 8px; padding: 16px 20px; border: 1px solid; }
.verdict .badge { font-weight: 750; font-size: 20px; letter-spacing: .04em; text-transform: uppercase; padding: 6px 14px; border-radius: 6px; color: #fff; white-space: nowrap; }
.verdict .line { font-size: 15px; font-weight: 600; margin: 0 0 2px; }
.verdict .facts { margin: 0; color: var(--muted); font-size: 13px; }
.verdict-pass { background: var(--pass-bg); border-color: var(--pass); } .verdict-pass .badge { background: var(--pass); }
.verdict-fail { background: var(--fail-bg); border-color: var(--fail); } .verdict-fail .badge { background: var(--fail); }
.verdict-undecided { background: var(--undecided-bg); border-color: var(--undecided); } .verdict-undecided .badge { background: var(--undecided); }
.verdict-none { background: var(--none-bg); border-color: var(--none); } .verdict-none .badge { background: var(--none); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 14px; }
.card { background: var(--panel); border: 1px solid var(--line); border-top: 4px solid var(--mode, var(--accent)); border-radius: 8px; padding: 12px 16px; }
.card h3 { text-transform: capitalize; }
.card .big { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.15; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 8px 0 0; font-size: 13px; }
.card dt { color: var(--muted); } .card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { text-align: right; font-weight: 650; color: var(--muted); border-bottom: 2px solid var(--line); white-space: nowrap; }
thead th:first-child, td:first-child, th.text, td.text { text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { text-align: left; font-weight: 650; color: var(--accent); background: #f7f9fb; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
td .ci { color: var(--muted); font-size: 12px; display: block; }
.outcome { font-weight: 700; text-transform: uppercase; font-size: 12px; letter-spacing: .04em; }
.outcome-pass { color: var(--pass); } .outcome-fail { color: var(--fail); } .outcome-undecided { color: var(--undecided); }
ul.notes { margin: 0; padding-left: 18px; } ul.notes li { margin: 0 0 4px; }
ul.footnotes { list-style: none; padding-left: 0; margin-top: 10px; font-size: 12.5px; color: var(--muted); max-width: 110ch; }
#question p { max-width: 110ch; } #question .question { font-size: 15px; } #question .answer { margin: 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure.chart-card { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px 12px; break-inside: avoid; page-break-inside: avoid; min-width: 0; }
figure.chart-card.wide { grid-column: 1 / -1; }
figure.chart-card figcaption { color: var(--muted); font-size: 12.5px; margin-top: 6px; max-width: 95ch; }
.chart { overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; }
.chart[data-rendered="error"] { color: var(--fail); font-weight: 600; }
pre.source { margin: 0; background: #0f1720; color: #e6edf3; border-radius: 8px; padding: 14px 16px; font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; font-size: 13px; }
dl.manifest dt { color: var(--muted); } dl.manifest dd { margin: 0; font-variant-numeric: tabular-nums; word-break: break-all; }
.two-col { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.stack { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.panel { overflow-x: auto; }
footer { color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding: 14px 0 30px; }
td.route { min-width: 22em; max-width: 36em; } .outcome-none { color: var(--none); }
@media (max-width: 700px) { .charts, .two-col { grid-template-columns: 1fr; } .wrap { padding: 0 14px; } }
@media print {
  @page { size: A4; margin: 12mm; }
  body { background: #fff; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  header.masthead { padding: 10px 0; }
  .wrap { max-width: none; padding: 0; }
  .charts, .two-col, .stack { display: block; }
  .stack > * + *, .two-col > * + * { margin-top: 10px; }
  /* A scroll box cannot be split or overflowed on paper: let tables wrap their headers and fit the page. */
  .panel, .chart { overflow: visible; }
  table { font-size: 8.5pt; } th, td { padding: 3px 5px; } thead th, td.num { white-space: normal; } td .ci { white-space: nowrap; }
  /* The mode cards side by side on the page, whatever their number. */
  .cards { grid-template-columns: none; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); gap: 8px; }
  .card { padding: 8px 10px; } .card .big { font-size: 20px; }
  /* A heading stays with what it heads: never the last line of a page. */
  h2, h3, figure.chart-card h3 { break-after: avoid; page-break-after: avoid; }
  h2 + *, h3 + * { break-before: avoid; page-break-before: avoid; }
  h2 + p, h3 + p { break-after: avoid; page-break-after: avoid; }
  figure.chart-card, .panel, .card, table, tr { break-inside: avoid; page-break-inside: avoid; }
  figure.chart-card { margin: 0 0 10px; border-color: #ccc; }
  .vega-embed details, .vega-actions { display: none !important; }
  pre.source { background: #fff; color: #000; border: 1px solid #ccc; white-space: pre-wrap; }
  section { margin-bottom: 14px; }
}
`;
