import type { ChartRecord, ChartValue, ReportChart } from "./report-chart.js";

function cell(value: ChartValue | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Records as CSV (RFC 4180): the columns are the first record's keys; a cell holding a comma, quote or line break
 * is quoted with quotes doubled; null is an empty cell; numbers in JavaScript's shortest round-trip form.
 */
export function recordsCsv(records: readonly ChartRecord[]): string {
  const first = records[0];
  if (first === undefined) return "";
  const columns = Object.keys(first);
  return `${[columns.map(cell).join(","), ...records.map((record) => columns.map((c) => cell(record[c])).join(","))].join("\n")}\n`;
}

/**
 * The files a notebook needs to re-render each chart: charts/<name>.vl.json, the spec reading its data from
 * <name>.csv beside it (a relative url, with every numeric column parsed as a number), and charts/<name>.csv.
 */
export function chartFiles(charts: readonly ReportChart[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const chart of charts) {
    const numeric = Object.keys(chart.records[0] ?? {}).filter((key) => chart.records.some((r) => typeof r[key] === "number"));
    const parse = Object.fromEntries(numeric.map((key) => [key, "number"]));
    const spec = { ...chart.spec, data: { url: `${chart.name}.csv`, format: { type: "csv", parse } } };
    files[`charts/${chart.name}.vl.json`] = `${JSON.stringify(spec, null, 2)}\n`;
    files[`charts/${chart.name}.csv`] = recordsCsv(chart.records);
  }
  return files;
}
