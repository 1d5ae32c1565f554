import { modeLabelOrder, type SuiteRecord } from "@mstress/report";
import { alignedTable, formatPercent } from "./aligned-table.js";

/**
 * The terminal's view of a suite: one line per route that ran (its sign-off and each mode's liquidation probability
 * with its 95 % interval, a move beyond sampling error marked), then every scenario that did not run and why.
 */
export function suiteTable(record: SuiteRecord, directory: string): string {
  const ran = record.scenarios.filter((s) => s.modes.length > 0);
  const modes = modeLabelOrder.filter((mode) => ran.some((s) => s.modes.some((m) => m.mode === mode)));
  const mark = { up: " ▲", down: " ▼", "within sampling error": "" } as const;
  const rows = ran.map((s) => [
    s.name,
    s.verdict ?? "-",
    ...modes.map((mode) => {
      const m = s.modes.find((figures) => figures.mode === mode);
      if (m === undefined) return "-";
      const [low, high] = m.liquidationProbabilityCi;
      return `${formatPercent(m.liquidationProbability)} [${formatPercent(low)}, ${formatPercent(high)}]${m.liquidationProbabilityMove === null ? "" : mark[m.liquidationProbabilityMove]}`;
    }),
  ]);
  const notRun = record.scenarios.filter((s) => s.status !== "ran").map((s) => `  ${s.name} (${s.file}): ${s.status}: ${s.reason ?? ""}`);
  return [
    `suite: ${String(ran.length)} route${ran.length === 1 ? "" : "s"}, seed ${record.seed}, ${String(record.paths)} paths each: ${record.outcome} (exit ${String(record.exitCode)})`,
    "",
    ...(ran.length === 0 ? ["no route ran"] : ["liquidation probability [95 % interval] per mode" + (record.previous === null ? "" : "; ▲ ▼ moved beyond sampling error since the previous night"), "", alignedTable([["route", "sign-off", ...modes], ...rows])]),
    ...(notRun.length === 0 ? [] : ["", "not run:", ...notRun]),
    "",
    `index: ${directory}/index.html`,
  ].join("\n");
}
