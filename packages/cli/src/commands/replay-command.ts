import { Command, Option } from "commander";
import type { MarginMode, Scenario } from "@mstress/core";
import { replayScenario, type ReplayModeResult, type RouteJournalEntry } from "@mstress/sim";
import { modeList } from "../options/option-parsers.js";
import { loadScenario } from "../scenario/load-scenario.js";
import { runModes } from "../scenario/run-modes.js";
import { scenarioVenues } from "../scenario/scenario-venues.js";
import { scriptedPathOf } from "../scenario/scripted-path-of.js";
import { alignedTable, formatAmount, formatDuration, formatPercent } from "../output/aligned-table.js";

interface ReplayOptions {
  modes?: MarginMode[];
  json?: boolean;
  /** commander's --no-baseline. */
  baseline: boolean;
}

export function replayCommand(): Command {
  return new Command("replay")
    .description("replay a route along a scripted path under each margin mode")
    .argument("<scenario>", "scenario YAML file")
    .addOption(new Option("--modes <list>", "comma-separated margin modes (default: the scenario's)").argParser(modeList))
    .option("--json", "print one JSON object keyed by mode (with -passive keys for the route without its policies)")
    .option("--no-baseline", "with policies: leave out the route without them")
    .action((file: string, options: ReplayOptions) => {
      const { scenario } = loadScenario(file);
      const venues = scenarioVenues(scenario, file);
      const path = scriptedPathOf(scenario, file, venues);
      const modes = runModes(scenario, venues, options.modes);
      const results = replayScenario({ scenario, venues, path }, modes, options.baseline);
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(Object.fromEntries(results.map((r) => [r.label, r])), null, 2)}\n`);
        return;
      }
      process.stdout.write(`${replayTable(scenario, results)}\n`);
      const log = actionLog(results);
      if (log !== "") process.stdout.write(`\n${log}\n`);
    });
}

function replayTable(scenario: Scenario, results: readonly ReplayModeResult[]): string {
  const header = ["", ...results.map((r) => r.label)];
  const row = (label: string, cell: (r: ReplayModeResult) => string): string[] => [label, ...results.map(cell)];
  return [
    `scenario ${scenario.name}, modes ${results.map((r) => r.label).join(", ")}`,
    "",
    alignedTable([
      header,
      row("liquidated", (r) => (r.liquidated ? "yes" : "no")),
      row("when", (r) => formatDuration(r.liquidatedAt)),
      row("at price", (r) => formatAmount(r.liquidationPrice)),
      row("loss", (r) => formatAmount(r.loss)),
      row("hedge broken", (r) => (r.hedgeBroken ? (r.hedgeBrokenByAdl === true ? "yes (ADL)" : "yes") : "no")),
      row("auto-deleveraged", (r) => (r.adlAt === null ? "no" : `at ${formatDuration(r.adlAt)}`)),
      row("final equity", (r) => formatAmount(r.finalEquity)),
      row("route PnL", (r) => formatAmount(r.pnl)),
      row("min distance to liq.", (r) => formatPercent(r.minDistanceToLiquidation)),
      row("distance at horizon", (r) => formatPercent(r.distanceAtHorizon)),
      row("funding received", (r) => formatAmount(r.fundingReceived)),
      row("trading fees", (r) => formatAmount(r.tradingFees)),
      row("liquidation fees", (r) => formatAmount(r.liquidationFees)),
    ]),
  ].join("\n");
}

/** What the policies and the venue's ADL did, mode by mode, in time order (empty when nothing happened). */
function actionLog(results: readonly ReplayModeResult[]): string {
  const describe = (a: RouteJournalEntry): string => {
    const parts = [
      a.leg !== undefined && a.leg !== "" ? `leg ${a.leg}` : "",
      a.account !== undefined ? `account ${a.account}` : "",
      a.quantity !== undefined ? `qty ${a.quantity}` : "",
      a.price !== undefined ? `at ${formatAmount(a.price)}` : "",
      a.amount !== undefined ? `amount ${formatAmount(a.amount)}` : "",
      a.note ?? "",
    ].filter((part) => part !== "");
    return `  ${formatDuration(a.t).padEnd(16)} ${a.by.padEnd(14)} ${a.action.padEnd(17)} ${parts.join(", ")}`;
  };
  return results
    .filter((r) => r.actions.length > 0)
    .map((r) => [`actions (${r.label}):`, ...r.actions.map(describe)].join("\n"))
    .join("\n\n");
}
