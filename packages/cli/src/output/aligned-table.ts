/** A short aligned text table: the first column left-aligned, the others right-aligned (or all left-aligned). */
export function alignedTable(rows: readonly (readonly string[])[], align: "numbers" | "left" = "numbers"): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows
    .map((row) => row.map((cell, i) => (i === 0 || align === "left" ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ").trimEnd())
    .join("\n");
}

export function formatAmount(value: number | null, decimals = 2): string {
  if (value === null) return "-";
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function formatPercent(fraction: number | null, decimals = 2): string {
  return fraction === null ? "-" : `${(fraction * 100).toFixed(decimals)} %`;
}

/** Seconds as "1h 02m 03s" (days when over 24 h). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "-";
  const s = Math.round(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const clock = `${hours}h ${String(minutes).padStart(2, "0")}m ${String(rest).padStart(2, "0")}s`;
  return days > 0 ? `${days}d ${clock}` : clock;
}
