// How the report and the gate table print figures: fixed en-US conventions (thousands commas, a point for
// decimals), so the same figures print the same text on every machine.

const amountFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const countFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A quote-currency amount, whole units: "12,318", "−23"; "–" when not applicable. */
export function formatAmount(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  // Rounded first, and −0 turned into 0, so an amount that rounds to nothing prints "0", never "−0".
  return amountFormat.format(Math.round(value) + 0).replace("-", "−");
}

export function formatCount(value: number): string {
  return countFormat.format(value);
}

/**
 * A fraction as a percentage: two decimals from 1 % up ("28.25 %"), three significant digits below ("0.192 %"),
 * so a small probability keeps its precision; "0 %" for exactly zero.
 */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined) return "–";
  if (fraction === 0) return "0 %";
  const percent = fraction * 100;
  const text = Math.abs(percent) >= 1 ? percent.toFixed(2) : percent.toPrecision(3);
  return `${text.replace("-", "−")} %`;
}

/** A confidence level: "95 %", "99.5 %". */
export function formatLevel(level: number): string {
  return `${String(Math.round(level * 1e6) / 1e4)} %`;
}

/** Seconds as "3d 9h", "5h 30m", "45m", "20s": the resolution a reader needs for a time to liquidation. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.round(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return `${minutes}m`;
  return `${s}s`;
}
