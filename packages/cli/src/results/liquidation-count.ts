import { outcomeColumn, outcomeWidth } from "@mstress/sim";

/** Liquidated paths of evaluation `m` in a run's outcome rows (path-major, `modes` evaluations per path). */
export function liquidationCount(rows: Float64Array, paths: number, modes: number, m: number): number {
  let events = 0;
  for (let i = 0; i < paths; i++) events += rows[(i * modes + m) * outcomeWidth + outcomeColumn.liquidated] ?? 0;
  return events;
}
