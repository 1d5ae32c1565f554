/** Seconds in the unit a scenario file would use: 3600 -> "1h", 2592000 -> "30d", 90 -> "90s". */
export function compactDuration(seconds: number): string {
  for (const [unit, size] of [["d", 86_400], ["h", 3600], ["m", 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
