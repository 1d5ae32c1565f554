import { Command, Option } from "commander";
import type { MarginMode, Scenario } from "@mstress/core";
import { replayRoute, type ReplayModeResult } from "@mstress/sim";
import { modeList } from "../options/option-parsers.js";
import { loadScenario } from "../scenario/load-scenario.js";
import { runModes } from "../scenario/run-modes.js";
import { scenarioVenues } from "../scenario/scenario-venues.js";
import { scriptedPathOf } from "../scenario/scripted-path-of.js";
import { alignedTable, formatAmount, formatDuration, formatPercent } from "../output/aligned-table.js";

interface ReplayOptions {
  modes?: MarginMode[];
  json?: boolean;
}

export function replayCommand(): Command {
  return new Command("replay")
    .description("replay a route along a scripted path under each margin mode")
    .argument("<scenario>", "scenario YAML file")
    .addOption(new Option("--modes <list>", "comma-separated margin modes (default: the scenario's)").argParser(modeList))
    .option("--json", "print one JSON object keyed by mode")
    .action((file: string, options: ReplayOptions) => {
      const { scenario } = loadScenario(file);
      const venues = scenarioVenues(scenario, file);
      const path = scriptedPathOf(scenario, file, venues);
      const modes = runModes(scenario, venues, options.modes);
      const results = modes.map((mode) => replayRoute({ scenario, venues, path }, mode));
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(Object.fromEntries(results.map((r) => [r.mode, r])), null, 2)}\n`);
        return;
      }
      process.stdout.write(`${replayTable(scenario, results)}\n`);
    });
}

function replayTable(scenario: Scenario, results: readonly ReplayModeResult[]): string {
  const header = ["", ...results.map((r) => r.mode)];
  const row = (label: string, cell: (r: ReplayModeResult) => string): string[] => [label, ...results.map(cell)];
  return [
    `scenario ${scenario.name}, modes ${results.map((r) => r.mode).join(", ")}`,
    "",
    alignedTable([
      header,
      row("liquidated", (r) => (r.liquidated ? "yes" : "no")),
      row("when", (r) => formatDuration(r.liquidatedAt)),
      row("at price", (r) => formatAmount(r.liquidationPrice)),
      row("loss", (r) => formatAmount(r.loss)),
      row("hedge broken", (r) => (r.hedgeBroken ? "yes" : "no")),
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
