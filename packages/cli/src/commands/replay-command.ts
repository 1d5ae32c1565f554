import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command, Option } from "commander";
import { MstressError, isMarginMode, marginModes, parsePathCsv, parseScenario, type MarginMode, type Scenario, type VenueProfile } from "@mstress/core";
import { ScriptedPath, replayScenario, scenarioAssets, type ReplayModeResult, type RouteJournalEntry } from "@mstress/sim";
import { loadVenue } from "../venues/load-venue.js";
import { alignedTable, formatAmount, formatDuration, formatPercent } from "../output/aligned-table.js";

interface ReplayOptions {
  modes?: MarginMode[];
  json?: boolean;
  /** commander's --no-baseline. */
  baseline: boolean;
}

/** Reads and validates a scenario file; the file name starts every error line. */
export function readScenario(file: string): Scenario {
  if (!existsSync(file) || !statSync(file).isFile()) throw new MstressError("E_BAD_INPUT", `scenario: ${JSON.stringify(file)} is not a file`);
  return parseScenario(readFileSync(file, "utf8"), file);
}

/** Venue profiles for each account of a scenario, by the reference the scenario uses. */
export function scenarioVenues(scenario: Scenario, scenarioFile: string): Map<string, VenueProfile> {
  const venues = new Map<string, VenueProfile>();
  scenario.accounts.forEach((account) => {
    if (!venues.has(account.venue)) venues.set(account.venue, loadVenue(account.venue, `accounts.${account.name}.venue`, dirname(resolve(scenarioFile))));
  });
  return venues;
}

/** The scenario's scripted path (points or CSV), checked against the assets its legs are priced in. */
export function scriptedPath(scenario: Scenario, scenarioFile: string, venues: ReadonlyMap<string, VenueProfile>): ScriptedPath {
  const assets = scenarioAssets(scenario, venues);
  const spec = scenario.path;
  if (spec === undefined) throw new MstressError("E_BAD_INPUT", "path: expected a scripted path to replay (this scenario has only a market: use mstress run)");
  const defaults = { basis: spec.basis, funding: spec.funding };
  if (spec.points !== undefined) return new ScriptedPath(spec.points, assets, defaults);
  const csv = resolve(dirname(resolve(scenarioFile)), spec.csv ?? "");
  if (!existsSync(csv)) throw new MstressError("E_BAD_INPUT", `path.csv: file ${JSON.stringify(spec.csv)} does not exist (relative to the scenario)`);
  const asset = spec.asset ?? (assets.length === 1 ? assets[0] : undefined);
  if (asset === undefined) throw new MstressError("E_BAD_INPUT", `path.asset: expected the asset the CSV prices (one of ${assets.join(", ")})`);
  if (assets.length > 1) throw new MstressError("E_BAD_INPUT", `path.csv: a CSV path prices one asset; this route holds ${assets.join(", ")}: use points with prices`);
  return new ScriptedPath(parsePathCsv(readFileSync(csv, "utf8"), spec.csv ?? csv, asset), assets, defaults);
}

/**
 * The modes to replay: `--modes`, else the scenario's `modes`, else every mode all its venues offer. A mode an
 * unpinned account's venue does not offer is bad input, named by the field that asked for it.
 */
export function runModes(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>, requested: readonly MarginMode[] | undefined): MarginMode[] {
  const offers = (mode: MarginMode): VenueProfile | undefined =>
    scenario.accounts
      .filter((a) => a.mode === undefined)
      .map((a) => venues.get(a.venue))
      .find((venue) => venue !== undefined && mode === "portfolio" && venue.portfolio === undefined);
  const asked = requested ?? scenario.modes;
  if (asked === undefined) return marginModes.filter((mode) => offers(mode) === undefined);
  for (const mode of asked) {
    const lacking = offers(mode);
    if (lacking !== undefined) {
      throw new MstressError("E_BAD_INPUT", `${requested === undefined ? "modes" : "--modes"}: ${mode} is not offered by venue ${lacking.name} (its profile has no portfolio block); expected a subset of isolated, cross`);
    }
  }
  return [...asked];
}

export function modeList(value: string): MarginMode[] {
  const modes = value.split(",").map((m) => m.trim());
  const bad = modes.find((m) => !isMarginMode(m));
  if (bad !== undefined) throw new MstressError("E_BAD_INPUT", `--modes: expected a comma-separated list of ${marginModes.join(", ")}, got ${JSON.stringify(bad)}`);
  return modes.filter(isMarginMode);
}

export function replayCommand(): Command {
  return new Command("replay")
    .description("replay a route along a scripted path under each margin mode")
    .argument("<scenario>", "scenario YAML file")
    .addOption(new Option("--modes <list>", "comma-separated margin modes (default: the scenario's)").argParser(modeList))
    .option("--json", "print one JSON object keyed by mode (with -passive keys for the route without its policies)")
    .option("--no-baseline", "with policies: leave out the route without them")
    .action((file: string, options: ReplayOptions) => {
      const scenario = readScenario(file);
      const venues = scenarioVenues(scenario, file);
      const path = scriptedPath(scenario, file, venues);
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
